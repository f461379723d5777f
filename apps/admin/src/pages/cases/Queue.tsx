/** The case queue: server-driven filters, sort and pages, saved views. */
import { useQuery, useQueryClient } from "@tanstack/react-query"
import { Link, useNavigate, useSearch } from "@tanstack/react-router"
import { Button, DataTable, type DataTableSort, dataTableColumns, SearchBox, Select } from "@tenet/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import { api, getCurrentOrg } from "../../api/client"
import { type CaseRow, useCases } from "../../api/process"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { exportUrlOf, keysetTableProps, sortParam, useExportLabels, useTableLabels } from "../table-labels"
import { NewCaseDialog } from "./NewCaseDialog"
import {
  CHANNELS,
  CodeOptions,
  PriorityBadge,
  SlaBadge,
  STATUSES,
  StatusBadge,
  useVocabLabel,
} from "./shared"

export interface QueueSearch {
  q?: string
  status?: string
  channel?: string
  priority?: string
  sla?: string
  sort?: string
  cursors?: string
  type?: string
  from?: string
  to?: string
}
const KEYS = ["q", "status", "channel", "priority", "sla", "sort", "cursors", "type", "from", "to"] as const
export const validateQueueSearch = (s: Record<string, unknown>): QueueSearch => {
  const out: QueueSearch = {}
  for (const k of KEYS) if (typeof s[k] === "string" && s[k]) out[k] = s[k] as string
  return out
}

const col = dataTableColumns<CaseRow>()

interface SavedView {
  id: string
  name: string
  query: Record<string, string>
}

export const QueuePage = () => {
  const { t } = useTranslation()
  const typeLabel = useVocabLabel()
  const fmt = useFormat()
  const baseLabels = useTableLabels()
  const exportLabels = useExportLabels()
  const session = useSession()
  const search = useSearch({ strict: false }) as QueueSearch
  const navigate = useNavigate()
  const set = (patch: { [K in keyof QueueSearch]?: string | undefined }) =>
    void navigate({
      to: "/cases",
      search: (prev: QueueSearch) => validateQueueSearch({ ...prev, cursors: undefined, ...patch }),
    })
  const cursors = search.cursors ? search.cursors.split(",") : []
  const status = search.status ?? "open"
  const params = {
    limit: "25",
    sort: search.sort ?? "-receivedAt",
    q: search.q,
    status: status === "open" || status === "all" ? undefined : status,
    open: status === "open" ? "true" : undefined,
    channel: search.channel,
    priority: search.priority,
    sla: search.sla,
    type: search.type,
    from: search.from,
    to: search.to,
    cursor: cursors.at(-1),
  }
  const page = useCases(params)
  const labels = page.data?.totalCapped
    ? { ...baseLabels, total: (count: number) => t("table.totalCapped", { count }) }
    : baseLabels
  const qc = useQueryClient()
  const views = useQuery({
    queryKey: ["views", getCurrentOrg()],
    queryFn: () => api<{ items: SavedView[] }>("/api/v1/process/views"),
  })
  const [newOpen, setNewOpen] = useState(false)
  const sort: DataTableSort = {
    id: (search.sort ?? "-receivedAt").replace(/^-/, ""),
    desc: (search.sort ?? "-receivedAt").startsWith("-"),
  }
  const columns = useMemo(
    () =>
      col.columns([
        col.accessor("number", {
          header: t("cases.number"),
          cell: (i) => <span className="t-hint">#{i.getValue()}</span>,
        }),
        col.accessor("subject", {
          header: t("cases.subject"),
          enableSorting: false,
          cell: (i) => (
            <span>
              <Link to="/cases/$caseId" params={{ caseId: i.row.original.id }}>
                {i.getValue()}
              </Link>
              <br />
              <span className="t-hint">
                {i.row.original.customerName ?? "—"}
                {i.row.original.segment ? ` · ${t(`segments.${i.row.original.segment}`)}` : ""}
              </span>
            </span>
          ),
        }),
        col.accessor("type", {
          meta: { exportLabels: exportLabels("caseTypes") },
          header: t("cases.type"),
          enableSorting: false,
          cell: (i) => typeLabel("type", i.getValue()),
        }),
        col.accessor("channel", {
          meta: { exportLabels: exportLabels("channels") },
          header: t("cases.channel"),
          enableSorting: false,
          cell: (i) => t(`channels.${i.getValue()}`),
        }),
        col.accessor("status", {
          meta: { exportLabels: exportLabels("statuses") },
          header: t("cases.status"),
          cell: (i) => <StatusBadge status={i.getValue()} />,
        }),
        col.accessor("priority", {
          header: t("cases.priority"),
          cell: (i) => <PriorityBadge priority={i.getValue()} />,
        }),
        col.accessor("team", {
          header: t("cases.team"),
          enableSorting: false,
          cell: (i) => `${i.getValue() ?? "—"} · ${i.row.original.tier}`,
        }),
        col.accessor("nextDueAt", {
          id: "dueAt",
          header: t("cases.sla"),
          cell: (i) => <SlaBadge state={i.row.original.slaState} dueAt={i.getValue()} />,
        }),
        col.accessor("receivedAt", {
          header: t("cases.received"),
          sortDescFirst: true,
          cell: (i) => fmt.dateTime(i.getValue()),
        }),
      ]),
    [t, fmt, exportLabels, typeLabel],
  )
  const saveView = async () => {
    const name = window.prompt(t("cases.viewName"))
    if (!name) return
    const { cursors: _c, ...query } = search
    await api("/api/v1/process/views", { method: "POST", body: { name, query } })
    await qc.invalidateQueries({ queryKey: ["views"] })
  }
  return (
    <>
      <div
        style={{
          display: "flex",
          justifyContent: "space-between",
          marginBottom: 12,
          gap: 8,
          flexWrap: "wrap",
        }}
      >
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap", alignItems: "center" }}>
          <span className="t-label">{t("cases.views")}:</span>
          <Button
            size="sm"
            onClick={() =>
              set({ status: "open", sla: undefined, channel: undefined, priority: undefined, q: undefined })
            }
          >
            {t("cases.openOnly")}
          </Button>
          <Button size="sm" onClick={() => set({ status: "open", sla: "breached,warning" })}>
            {t("slaStates.breached")} / {t("slaStates.warning")}
          </Button>
          {views.data?.items.map((v) => (
            <Button
              key={v.id}
              size="sm"
              onClick={() => void navigate({ to: "/cases", search: validateQueueSearch(v.query) })}
            >
              {v.name}
            </Button>
          ))}
          <Button size="sm" variant="ghost" onClick={() => void saveView()}>
            + {t("cases.saveView")}
          </Button>
        </div>
        {session.can("cases:write") ? (
          <Button variant="primary" onClick={() => setNewOpen(true)}>
            {t("cases.newCase")}
          </Button>
        ) : null}
      </div>
      <DataTable
        id="cases"
        caption={t("cases.title")}
        columns={columns}
        getRowId={(c) => c.id}
        {...keysetTableProps(page, cursors, (c) => set({ cursors: c.join(",") || undefined }))}
        sort={sort}
        onSortChange={(s) => set({ sort: sortParam(s) })}
        onRowClick={(c) => void navigate({ to: "/cases/$caseId", params: { caseId: c.id } })}
        exportUrl={exportUrlOf("/api/v1/process/cases", params)}
        empty={t("cases.empty")}
        labels={labels}
        toolbar={
          <>
            <SearchBox
              value={search.q ?? ""}
              onSearch={(q) => set({ q })}
              label={t("cases.search")}
              buttonLabel={t("common.search")}
              width={200}
            />
            <Select
              aria-label={t("cases.status")}
              value={status}
              onChange={(e) => set({ status: e.target.value })}
              data-testid="filter-status"
            >
              <option value="open">{t("cases.openOnly")}</option>
              <option value="all">{t("cases.allStatuses")}</option>
              <CodeOptions codes={STATUSES} ns="statuses" />
            </Select>
            <Select
              aria-label={t("cases.channel")}
              value={search.channel ?? ""}
              onChange={(e) => set({ channel: e.target.value || undefined })}
              data-testid="filter-channel"
            >
              <option value="">{t("cases.anyChannel")}</option>
              <CodeOptions codes={CHANNELS} ns="channels" />
            </Select>
            <Select
              aria-label={t("cases.priority")}
              value={search.priority ?? ""}
              onChange={(e) => set({ priority: e.target.value || undefined })}
            >
              <option value="">{t("cases.anyPriority")}</option>
              {["p1", "p2", "p3", "p4"].map((p) => (
                <option key={p} value={p}>
                  {p.toUpperCase()}
                </option>
              ))}
            </Select>
            <Select
              aria-label={t("cases.sla")}
              value={search.sla ?? ""}
              onChange={(e) => set({ sla: e.target.value || undefined })}
            >
              <option value="">{t("cases.anySla")}</option>
              {["ok", "warning", "breached", "paused", "met"].map((s) => (
                <option key={s} value={s}>
                  {t(`slaStates.${s}`)}
                </option>
              ))}
            </Select>
          </>
        }
      />
      <NewCaseDialog open={newOpen} onOpenChange={setNewOpen} />
    </>
  )
}
