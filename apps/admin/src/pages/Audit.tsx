import { useQuery } from "@tanstack/react-query"
import { useNavigate, useSearch } from "@tanstack/react-router"
import {
  Badge,
  Button,
  Callout,
  DataTable,
  type DataTableSort,
  Dialog,
  DialogActions,
  dataTableColumns,
  SearchBox,
  Select,
} from "@tenet/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../api/client"
import { useAudit } from "../api/hooks"
import type { AuditRecord } from "../api/types"
import { useFormat } from "../format"
import { PiAccessLog } from "./PiAccessLog"
import { exportUrlOf, keysetTableProps, sortParam, useTableLabels } from "./table-labels"

export interface AuditSearch {
  sort?: string
  q?: string
  entityType?: string
  action?: string
  /** Cursors of the pages before this one, comma-separated (the page index is their count). */
  cursors?: string
}

export const validateAuditSearch = (s: Record<string, unknown>): AuditSearch => {
  const out: AuditSearch = {}
  for (const k of ["sort", "q", "entityType", "action", "cursors"] as const)
    if (typeof s[k] === "string" && s[k]) out[k] = s[k] as string
  return out
}

const col = dataTableColumns<AuditRecord>()
/** A value as a short text: strings as they are, anything else as compact JSON. */
const valueText = (v: unknown) =>
  v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v)
/** The fields a record changed: each with its value before and after (top-level keys of either side). */
const changedFields = (before: unknown, after: unknown) => {
  const obj = (v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  const b = obj(before)
  const a = obj(after)
  return [...new Set([...Object.keys(b), ...Object.keys(a)])]
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => ({ field: k, before: b[k], after: a[k] }))
}
const summarize = (before: unknown, after: unknown) =>
  changedFields(before, after)
    .map(
      (c) => `${c.field}: ${c.before === undefined ? "" : `${valueText(c.before)} → `}${valueText(c.after)}`,
    )
    .join(" · ")
    .slice(0, 100)

/**
 * This organisation's signed checkpoints and the public key, as one JSON file for
 * `tenet audit verify --checkpoints <folder> --public-key <file>` (save the key's PEM to its own file).
 */
const downloadCheckpoints = async () => {
  const [checkpoints, key] = await Promise.all([
    api<{ items: unknown[] }>("/api/v1/audit/checkpoints"),
    api<{ keyId: string; publicKeyPem: string }>("/api/v1/audit/checkpoints/public-key").catch(
      () => undefined,
    ),
  ])
  const blob = new Blob([JSON.stringify({ ...checkpoints, publicKey: key }, null, 2)], {
    type: "application/json",
  })
  const a = document.createElement("a")
  a.href = URL.createObjectURL(blob)
  a.download = `audit-checkpoints-${new Date().toISOString().slice(0, 10)}.json`
  a.click()
  URL.revokeObjectURL(a.href)
}

export const AuditPage = () => {
  const { t, i18n } = useTranslation()
  const fmt = useFormat()
  const labels = useTableLabels()
  const search = useSearch({ strict: false }) as AuditSearch
  const navigate = useNavigate()
  const set = (patch: { [K in keyof AuditSearch]?: string | undefined }) =>
    void navigate({
      to: "/settings/audit",
      search: (prev: AuditSearch) => validateAuditSearch({ ...prev, cursors: undefined, ...patch }),
    })
  const cursors = search.cursors ? search.cursors.split(",") : []
  const page = useAudit({
    limit: "25",
    sort: search.sort ?? "-at",
    q: search.q,
    entityType: search.entityType,
    action: search.action,
    cursor: cursors.at(-1),
  })
  const [selected, setSelected] = useState<AuditRecord>()
  // every record type this organisation's log holds (the server lists them), by its label
  const entityTypes = useQuery({
    queryKey: ["audit-entity-types", getCurrentOrg()],
    queryFn: () => api<{ items: string[] }>("/api/v1/audit/entity-types"),
  })
  const entityLabel = (x: string) => t(`auditEntities.${x}`, { defaultValue: x })
  // an action by its verb in the reader's language, with its code (what the filter and search use)
  const actionText = (action: string) => {
    const verb = action.split(".").at(-1) ?? action
    const label = i18n.exists(`auditVerbs.${verb}`) ? t(`auditVerbs.${verb}`) : undefined
    return (
      <span>
        {label ? `${label} ` : null}
        <code className="t-code">{action}</code>
      </span>
    )
  }
  const verify = useQuery({
    queryKey: ["audit-verify"],
    queryFn: () =>
      api<{ ok: boolean; records: number; broken?: { seq: number; reason: string } }>("/api/v1/audit/verify"),
    enabled: false,
  })
  const sort: DataTableSort | undefined = (() => {
    const s = search.sort ?? "-at"
    return { id: s.replace(/^-/, ""), desc: s.startsWith("-") }
  })()
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor("at", {
          header: t("audit.at"),
          cell: (i) => fmt.dateTime(i.getValue()),
          sortDescFirst: true,
        }),
        col.accessor("actorId", {
          header: t("audit.actor"),
          cell: (i) => {
            const r = i.row.original
            return r.actorType === "user" ? (
              (r.actorName ?? r.actorId)
            ) : r.actorType === "api_key" ? (
              <Badge>
                {t("audit.apiKey")} · {r.actorId.slice(0, 12)}…
              </Badge>
            ) : (
              <Badge>{t("audit.system")}</Badge>
            )
          },
        }),
        col.accessor("action", {
          header: t("audit.action"),
          cell: (i) => actionText(i.getValue()),
        }),
        col.accessor("entityType", {
          header: t("audit.entity"),
          cell: (i) => (
            <span>
              {entityLabel(i.getValue())} <span className="t-hint">{i.row.original.entityId}</span>
            </span>
          ),
        }),
        col.display({
          id: "changes",
          header: t("audit.changes"),
          cell: (i) => (
            <span className="t-hint">{summarize(i.row.original.before, i.row.original.after)}</span>
          ),
        }),
      ]),
    [t, fmt],
  )
  return (
    <>
      <div className="toolbar">
        <p style={{ margin: 0, color: "var(--text-2)" }}>{t("audit.description")}</p>
        <Button onClick={() => void verify.refetch()}>{t("audit.verify")}</Button>
        <Button onClick={() => void downloadCheckpoints()} title={t("audit.checkpointsHint")}>
          {t("audit.downloadCheckpoints")}
        </Button>
      </div>
      {verify.data ? (
        <div style={{ marginBottom: 16 }} role="status">
          {verify.data.ok ? (
            <Callout>✓ {t("audit.verifyOk", { count: verify.data.records })}</Callout>
          ) : (
            <Callout tone="bad">
              ✕{" "}
              {t("audit.verifyBroken", { seq: verify.data.broken?.seq, reason: verify.data.broken?.reason })}
            </Callout>
          )}
        </div>
      ) : null}
      <DataTable
        id="audit"
        caption={t("audit.title")}
        exportUrl={exportUrlOf("/api/v1/audit", {
          sort: search.sort ?? "-at",
          q: search.q,
          entityType: search.entityType,
          action: search.action,
        })}
        columns={columns}
        getRowId={(r) => String(r.seq)}
        {...keysetTableProps(page, cursors, (c) => set({ cursors: c.join(",") || undefined }))}
        sort={sort}
        onSortChange={(s) => set({ sort: sortParam(s) })}
        onRowClick={setSelected}
        empty={t("audit.empty")}
        labels={labels}
        toolbar={
          <>
            <SearchBox
              value={search.q ?? ""}
              onSearch={(q) => set({ q })}
              label={t("audit.search")}
              buttonLabel={t("common.search")}
            />
            <Select
              aria-label={t("audit.filterEntity")}
              value={search.entityType ?? ""}
              onChange={(e) => set({ entityType: e.target.value || undefined })}
            >
              <option value="">
                {t("audit.filterEntity")}: {t("common.all")}
              </option>
              {[...(entityTypes.data?.items ?? [])]
                .sort((a, b) => entityLabel(a).localeCompare(entityLabel(b)))
                .map((x) => (
                  <option key={x} value={x}>
                    {entityLabel(x)}
                  </option>
                ))}
            </Select>
            {search.q || search.entityType || search.action ? (
              <Button
                size="sm"
                variant="ghost"
                onClick={() => set({ q: undefined, entityType: undefined, action: undefined })}
              >
                {t("common.clear")}
              </Button>
            ) : null}
          </>
        }
      />
      <div style={{ height: 16 }} />
      <PiAccessLog />
      <Dialog
        open={Boolean(selected)}
        onOpenChange={(o) => !o && setSelected(undefined)}
        title={t("audit.details", { seq: selected?.seq })}
      >
        {selected ? (
          <>
            <dl className="kv">
              <dt>{t("audit.at")}</dt>
              <dd>{fmt.dateTime(selected.at)}</dd>
              <dt>{t("audit.actor")}</dt>
              <dd>
                {selected.actorName ?? selected.actorId} ({selected.actorType})
              </dd>
              <dt>{t("audit.action")}</dt>
              <dd>{actionText(selected.action)}</dd>
              <dt>{t("audit.entity")}</dt>
              <dd>
                {entityLabel(selected.entityType)} <span className="t-hint">{selected.entityId}</span>
              </dd>
              <dt>{t("audit.hash")}</dt>
              <dd>
                <code className="t-code">{selected.hash.slice(0, 24)}…</code>
              </dd>
            </dl>
            <div className="t-table-scroll">
              <table className="t-table" data-testid="audit-changes">
                <thead>
                  <tr>
                    <th scope="col">{t("audit.field")}</th>
                    <th scope="col">{t("audit.before")}</th>
                    <th scope="col">{t("audit.after")}</th>
                  </tr>
                </thead>
                <tbody>
                  {changedFields(selected.before, selected.after).map((c) => (
                    <tr key={c.field}>
                      <td>
                        <code className="t-code">{c.field}</code>
                      </td>
                      <td style={{ overflowWrap: "anywhere" }}>{valueText(c.before)}</td>
                      <td style={{ overflowWrap: "anywhere" }}>{valueText(c.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <DialogActions>
              <Button onClick={() => setSelected(undefined)}>{t("common.close")}</Button>
            </DialogActions>
          </>
        ) : null}
      </Dialog>
    </>
  )
}
