import { Link, useNavigate } from "@tanstack/react-router"
import { Badge, Button, DataTable, dataTableColumns, Select } from "@tenet/ui"
import { useMemo, useState } from "react"
import { useTranslation } from "react-i18next"
import {
  type Cursor,
  type FeedbackItem,
  itemsQuery,
  responsesQuery,
  type SurveyResponse,
  useFeedbackItems,
  useSurveyResponses,
} from "../../api/feedback"
import { useFormat } from "../../format"
import { useSession } from "../../session"
import { useTableLabels } from "../table-labels"
import { RecordItemDialog } from "./Record"

const rcol = dataTableColumns<SurveyResponse>()
const icol = dataTableColumns<FeedbackItem>()
const TONE = { positive: "ok", neutral: undefined, negative: "bad" } as const
const CLOCK = { running: undefined, met: "ok", overdue: "warn", breached: "bad" } as const
/** Rows per page; one more is asked to know whether a next page exists. */
const PAGE = 50

/** Keyset paging: the cursors of the pages before, emptied when a filter changes. */
const usePages = (filters: string) => {
  const [state, setState] = useState<{ filters: string; cursors: Cursor[] }>({ filters, cursors: [] })
  const cursors = state.filters === filters ? state.cursors : []
  return {
    cursor: cursors.at(-1),
    pageIndex: cursors.length,
    next: (c: Cursor) => setState({ filters, cursors: [...cursors, c] }),
    previous: () => setState({ filters, cursors: cursors.slice(0, -1) }),
  }
}

export const ResponsesTable = ({ from, to }: { from: string; to: string }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const labels = useTableLabels()
  const [sentiment, setSentiment] = useState<SurveyResponse["sentiment"] | "">("")
  const pages = usePages(`${from}|${to}|${sentiment}`)
  const filter = { sentiment: sentiment || undefined }
  const rows = useSurveyResponses(from, to, { ...filter, after: pages.cursor, limit: PAGE + 1 })
  const items = rows.data?.items.slice(0, PAGE)
  const columns = useMemo(
    () =>
      rcol.columns([
        rcol.accessor("submittedAt", {
          header: t("feedback.submittedAt"),
          enableSorting: false,
          cell: (i) => fmt.dateTime(i.getValue()),
        }),
        rcol.accessor("score", {
          header: t("feedback.score"),
          enableSorting: false,
          cell: (i) => i.getValue() ?? "—",
        }),
        rcol.accessor("sentiment", {
          header: t("feedback.sentiment"),
          enableSorting: false,
          cell: (i) => <Badge tone={TONE[i.getValue()]}>{t(`feedback.sentiments.${i.getValue()}`)}</Badge>,
        }),
        rcol.accessor("comment", {
          header: t("feedback.comment"),
          enableSorting: false,
          cell: (i) => i.getValue() ?? "",
        }),
        rcol.accessor("channel", {
          header: t("feedback.channel"),
          enableSorting: false,
          cell: (i) => (i.getValue() ? t(`channels.${i.getValue()}`) : "—"),
        }),
        rcol.accessor("caseId", {
          header: t("feedback.case"),
          enableSorting: false,
          cell: (i) => {
            const id = i.getValue()
            return id ? (
              <Link to="/cases/$caseId" params={{ caseId: id }}>
                {i.row.original.followUpId ? t("feedback.followedUp") : t("feedback.openCase")}
              </Link>
            ) : (
              "—"
            )
          },
        }),
      ]),
    [t, fmt],
  )
  return (
    <>
      <p>
        <a
          href={`/api/v1/feedback/responses/export?${responsesQuery(from, to, filter).replace(/&?limit=\d+/, "")}`}
          download
        >
          {t("feedback.export")}
        </a>
      </p>
      <DataTable
        id="survey-responses"
        exportUrl={`/api/v1/feedback/responses?${responsesQuery(from, to, { ...filter, limit: 1000 })}`}
        caption={t("feedback.tabs.responses")}
        columns={columns}
        rows={items}
        getRowId={(r) => r.id}
        loading={rows.isLoading}
        error={rows.isError ? (rows.error as Error).message : undefined}
        onRetry={() => void rows.refetch()}
        empty={t("feedback.noResponses")}
        labels={labels}
        pageIndex={pages.pageIndex}
        hasPrevious={pages.pageIndex > 0}
        hasNext={(rows.data?.items.length ?? 0) > PAGE}
        onPrevious={pages.previous}
        onNext={() => {
          const last = items?.at(-1)
          if (last) pages.next({ at: last.submittedAt, id: last.id })
        }}
        toolbar={
          <Select
            aria-label={t("feedback.sentiment")}
            value={sentiment}
            onChange={(e) => setSentiment(e.target.value as typeof sentiment)}
          >
            <option value="">{t("feedback.allSentiments")}</option>
            {(["negative", "neutral", "positive"] as const).map((x) => (
              <option key={x} value={x}>
                {t(`feedback.sentiments.${x}`)}
              </option>
            ))}
          </Select>
        }
      />
    </>
  )
}

export const ItemsTable = ({ kind }: { kind?: FeedbackItem["kind"] }) => {
  const { t } = useTranslation()
  const fmt = useFormat()
  const labels = useTableLabels()
  const [status, setStatus] = useState<FeedbackItem["status"] | "">(kind === "complaint" ? "" : "open")
  const pages = usePages(`${kind}|${status}`)
  const filter = { kind, status: status || undefined }
  const rows = useFeedbackItems({ ...filter, before: pages.cursor, limit: PAGE + 1 })
  const items = rows.data?.items.slice(0, PAGE)
  const navigate = useNavigate()
  const session = useSession()
  const [recording, setRecording] = useState(false)
  const open = (id: string) => void navigate({ to: "/feedback/items/$itemId", params: { itemId: id } })
  const columns = useMemo(
    () =>
      icol.columns([
        icol.accessor("receivedAt", {
          header: t("feedback.receivedAt"),
          enableSorting: false,
          cell: (i) => fmt.dateTime(i.getValue()),
        }),
        icol.accessor("kind", {
          header: t("feedback.itemKind"),
          enableSorting: false,
          cell: (i) => t(`feedback.itemKinds.${i.getValue()}`),
        }),
        icol.accessor("summary", {
          header: t("feedback.summary"),
          enableSorting: false,
          cell: (i) => (
            <Link to="/feedback/items/$itemId" params={{ itemId: i.row.original.id }}>
              {i.getValue()}
            </Link>
          ),
        }),
        icol.accessor("urgency", {
          header: t("feedback.urgency"),
          enableSorting: false,
          cell: (i) => t(`feedback.urgencies.${i.getValue()}`),
        }),
        icol.accessor("stage", {
          header: t("feedback.stage"),
          enableSorting: false,
          cell: (i) =>
            i.getValue()
              ? t(`feedback.stages.${i.getValue()}`)
              : t(`feedback.statuses.${i.row.original.status}`),
        }),
        icol.display({
          id: "clocks",
          header: t("feedback.clocks"),
          cell: (i) =>
            i.row.original.clocks.map((c) => (
              <Badge key={c.target} tone={CLOCK[c.state]} title={c.basis}>
                {t(`feedback.clockTargets.${c.target}`)}: {t(`feedback.clockStates.${c.state}`)} ·{" "}
                {fmt.dateTime(c.dueAt)}
              </Badge>
            )),
        }),
        icol.accessor("repeatOf", {
          header: t("feedback.repeat"),
          enableSorting: false,
          cell: (i) => (i.getValue() ? t("feedback.repeatYes") : ""),
        }),
      ]),
    [t, fmt],
  )
  return (
    <>
      <RecordItemDialog
        open={recording}
        kind={kind}
        onClose={() => setRecording(false)}
        onRecorded={(id) => {
          setRecording(false)
          open(id)
        }}
      />
      <DataTable
        id={`feedback-items-${kind ?? "all"}`}
        exportUrl={`/api/v1/feedback/items?${itemsQuery({ ...filter, limit: 1000 })}`}
        caption={kind === "complaint" ? t("feedback.tabs.complaints") : t("feedback.tabs.inbox")}
        columns={columns}
        rows={items}
        getRowId={(r) => r.id}
        loading={rows.isLoading}
        error={rows.isError ? (rows.error as Error).message : undefined}
        onRetry={() => void rows.refetch()}
        empty={t("feedback.noItems")}
        labels={labels}
        onRowClick={(r) => open(r.id)}
        pageIndex={pages.pageIndex}
        hasPrevious={pages.pageIndex > 0}
        hasNext={(rows.data?.items.length ?? 0) > PAGE}
        onPrevious={pages.previous}
        onNext={() => {
          const last = items?.at(-1)
          if (last) pages.next({ at: last.receivedAt, id: last.id })
        }}
        toolbar={
          <>
            {session.can("feedback:write") ? (
              <Button variant="primary" onClick={() => setRecording(true)}>
                {kind === "complaint" ? t("feedback.record.complaint") : t("feedback.record.open")}
              </Button>
            ) : null}
            <Select
              aria-label={t("feedback.status")}
              value={status}
              onChange={(e) => setStatus(e.target.value as typeof status)}
            >
              <option value="">{t("feedback.allStatuses")}</option>
              {(["open", "replied", "closed"] as const).map((x) => (
                <option key={x} value={x}>
                  {t(`feedback.statuses.${x}`)}
                </option>
              ))}
            </Select>
          </>
        }
      />
    </>
  )
}
