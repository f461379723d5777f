/** The improvement cycles list, the workflow library and opening a new cycle. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { Link, useNavigate } from "@tanstack/react-router"
import {
  Badge,
  Button,
  Card,
  Dialog,
  DialogActions,
  EmptyState,
  Field,
  Input,
  PageHeader,
  Select,
  Skeleton,
  useToast,
} from "@tenet/ui"
import { type FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { ApiError, api, getCurrentOrg } from "../../api/client"
import { DocumentImport } from "../../components/DocumentImport"
import { ExportLinks } from "../../components/ExportLinks"
import { useSession } from "../../session"
import type { Cycle, Workflow } from "./model"

export const ImprovementsPage = () => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const session = useSession()
  const cycles = useQuery({
    queryKey: ["cycles", getCurrentOrg()],
    queryFn: () => api<{ items: Cycle[] }>("/api/v1/improvements/cycles"),
  })
  const workflows = useQuery({
    queryKey: ["workflows", getCurrentOrg()],
    queryFn: () => api<{ items: Workflow[] }>("/api/v1/improvements/workflows"),
  })
  const [newOpen, setNewOpen] = useState(false)
  const groups = new Map<string, Cycle[]>()
  for (const c of cycles.data?.items ?? []) groups.set(c.workflowId, [...(groups.get(c.workflowId) ?? []), c])
  return (
    <>
      <PageHeader
        title={t("improvements.title")}
        description={t("improvements.description")}
        actions={
          session.can("improvements:write") ? (
            <Button variant="primary" onClick={() => setNewOpen(true)}>
              {t("improvements.newIdea")}
            </Button>
          ) : null
        }
      />
      {cycles.isLoading ? <Skeleton height={200} /> : null}
      {cycles.data?.items.length === 0 ? (
        <Card>
          <EmptyState title={t("improvements.empty")} />
        </Card>
      ) : null}
      {[...groups.entries()].map(([wid, list]) => {
        const wf = list[0]!.workflow
        return (
          <section key={wid} style={{ marginBottom: 24 }}>
            <h2 style={{ fontSize: 18 }}>
              {t("improvements.board")} · {wf.name[lang] ?? wf.name.en}
            </h2>
            <div className="board" data-testid={`board-${wid}`}>
              {wf.stages.map((s) => (
                <div key={s.id} className="board__col">
                  <div className="board__head">
                    {s.name[lang] ?? s.name.en}{" "}
                    <span className="t-hint">{list.filter((c) => c.stage === s.id).length}</span>
                  </div>
                  {list
                    .filter((c) => c.stage === s.id)
                    .map((c) => (
                      <Link
                        key={c.id}
                        to="/improvements/$cycleId"
                        params={{ cycleId: c.id }}
                        className="board__card"
                      >
                        <span className="t-hint">#{c.number}</span> {c.title}
                        <div style={{ marginTop: 4, display: "flex", gap: 4, flexWrap: "wrap" }}>
                          <Badge>{t(`improvements.triggers.${c.trigger.kind}`)}</Badge>
                          {c.status !== "active" ? (
                            <Badge tone={c.status === "closed" ? "ok" : "warn"}>
                              {t(`improvements.statuses.${c.status}`)}
                            </Badge>
                          ) : null}
                        </div>
                      </Link>
                    ))}
                </div>
              ))}
            </div>
          </section>
        )
      })}
      <WorkflowLibrary workflows={workflows.data?.items ?? []} />
      {newOpen ? (
        <NewCycle workflows={workflows.data?.items ?? []} onClose={() => setNewOpen(false)} />
      ) : null}
    </>
  )
}

/** The workflows cycles can run (from plugins and imported as data), and the import of a definition. */
const WorkflowLibrary = ({ workflows }: { workflows: Workflow[] }) => {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const session = useSession()
  const toast = useToast()
  const qc = useQueryClient()
  return (
    <section style={{ marginTop: 24 }}>
      <h2 style={{ fontSize: 18, display: "flex", gap: 12, alignItems: "center" }}>
        {t("improvements.workflows")}
        <ExportLinks
          url="/api/v1/improvements/workflows"
          columns={[
            ["name", t("improvements.workflowName")],
            ["id", "ID"],
            ["source", t("improvements.workflowSource")],
            ["plugin", t("plugins.title")],
          ]}
        />
      </h2>
      <Card>
        <table className="t-table" data-testid="workflow-list">
          <thead>
            <tr>
              <th scope="col">{t("improvements.workflowName")}</th>
              <th scope="col">ID</th>
              <th scope="col">{t("improvements.workflowStages")}</th>
              <th scope="col">{t("improvements.workflowSource")}</th>
            </tr>
          </thead>
          <tbody>
            {workflows.map((w) => (
              <tr key={w.id}>
                <td>{w.name[lang] ?? w.name.en ?? w.name["zh-CN"]}</td>
                <td>
                  <code className="t-code">{w.id}</code>
                </td>
                <td>{w.stages.map((s) => s.name[lang] ?? s.name.en ?? s.name["zh-CN"]).join(" → ")}</td>
                <td>
                  {w.source === "library" ? (
                    <Badge tone="accent">{t("improvements.sourceLibrary")}</Badge>
                  ) : (
                    <Badge>{t("improvements.sourcePlugin", { plugin: w.plugin ?? "" })}</Badge>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      {session.can("improvements:manage") ? (
        <div style={{ marginTop: 16 }}>
          <DocumentImport<{ id: string; version: string; replaced: boolean }>
            testId="workflow-import"
            title={t("improvements.importWorkflow")}
            hint={t("improvements.importWorkflowHint")}
            path="/api/v1/improvements/workflows/import"
            onImported={(r) => {
              toast(
                t(r.replaced ? "improvements.workflowReplaced" : "improvements.workflowImported", {
                  id: r.id,
                  version: r.version,
                }),
              )
              void qc.invalidateQueries({ queryKey: ["workflows"] })
            }}
          />
        </div>
      ) : null}
    </section>
  )
}

const NewCycle = ({ workflows, onClose }: { workflows: Workflow[]; onClose: () => void }) => {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const [title, setTitle] = useState("")
  const [workflowId, setWorkflowId] = useState(workflows[0]?.id ?? "pdca")
  const open = useMutation({
    mutationFn: () =>
      api<Cycle>("/api/v1/improvements/cycles", {
        method: "POST",
        body: { workflowId, title, kind: "idea" },
      }),
    onSuccess: (c) => void navigate({ to: "/improvements/$cycleId", params: { cycleId: c.id } }),
  })
  const err = open.error instanceof ApiError ? open.error : undefined
  const submit = (e: FormEvent) => {
    e.preventDefault()
    open.mutate()
  }
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()} title={t("improvements.newIdea")}>
      <form onSubmit={submit}>
        <Field label={t("improvements.titleLabel")} error={err?.field("title")}>
          {(p) => <Input {...p} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />}
        </Field>
        <Field label={t("improvements.workflow")} error={err?.field("workflowId") ?? err?.field("trigger")}>
          {(p) => (
            <Select {...p} value={workflowId} onChange={(e) => setWorkflowId(e.target.value)}>
              {workflows
                .filter((w) => w.triggers.includes("idea"))
                .map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name[i18n.language] ?? w.name.en}
                  </option>
                ))}
            </Select>
          )}
        </Field>
        <DialogActions>
          <Button onClick={onClose}>{t("common.cancel")}</Button>
          <Button type="submit" variant="primary">
            {t("common.create")}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  )
}
