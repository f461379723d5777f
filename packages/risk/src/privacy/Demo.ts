/**
 * The demo organisation's privacy records, for customers the process demo created: consents (one
 * marketing consent, one withdrawn survey consent), three subject requests at different steps and a
 * legal hold. The requests' due dates count business days on the calendar given (the organisation's
 * request calendar, as the API passes it), like the requests the privacy officer records.
 *
 * @since 0.7.0
 */
import type { Calendar } from "@tenet/calendar"
import { Corrections } from "@tenet/core"
import type { Ctx, Database } from "../store"
import * as Consent from "./Consent"
import * as Holds from "./Holds"
import * as Requests from "./Requests"

const DAY = 86_400_000

/** Seed the privacy demo (needs at least three customer ids). @category constructors @since 0.7.0 */
export const seedDemo = async (
  db: Database,
  ctx: Ctx,
  customerIds: ReadonlyArray<string>,
  now = new Date(),
  options: { readonly calendar?: Calendar | undefined } = {},
) => {
  const [a, b, c] = customerIds
  if (!a || !b || !c) return
  const ago = (days: number) => new Date(now.getTime() - days * DAY)
  for (const id of [a, b, c])
    await Consent.record(db, ctx, {
      customerId: id,
      channel: "service",
      granted: true,
      noticeVersion: "2026-01",
      source: "service terms",
      recordedAt: ago(200),
    })
  await Consent.record(db, ctx, {
    customerId: a,
    channel: "marketing",
    granted: true,
    noticeVersion: "2026-01",
    source: "web form",
    recordedAt: ago(120),
  })
  await Consent.record(db, ctx, {
    customerId: b,
    channel: "survey",
    granted: false,
    noticeVersion: "2026-01",
    source: "phone",
    recordedAt: ago(15),
  })
  const access = await Requests.receive(
    db,
    ctx,
    {
      customerId: a,
      kind: "access",
      locale: "zh-CN",
      channel: "phone",
      details: "客户要求获取其个人信息副本",
      receivedAt: ago(20),
    },
    options,
  )
  await Requests.verify(db, ctx, access.id, "核对了预留手机号的短信验证码")
  await Requests.receive(
    db,
    ctx,
    {
      customerId: c,
      kind: "deletion",
      locale: "zh-CN",
      channel: "web",
      details: "客户注销账户并要求删除个人信息",
      receivedAt: ago(3),
    },
    options,
  )
  const correction = await Requests.receive(
    db,
    ctx,
    {
      customerId: b,
      kind: "correction",
      locale: "en",
      channel: "email",
      details: "The phone number on file is out of date",
      corrections: { phone: "13900008888" },
      receivedAt: ago(40),
    },
    options,
  )
  await Requests.verify(db, ctx, correction.id, "reply from the e-mail address on file")
  // applied by the module holding the phone number (when its corrector is wired, as the API does)
  if (Corrections.fields().some((f) => f.field === "phone")) await Requests.correct(db, ctx, correction.id)
  await Holds.place(db, ctx, {
    scope: "customer",
    target: b,
    reason: "消费者协会调解中的投诉，调解结束前保留全部记录",
  })
}
