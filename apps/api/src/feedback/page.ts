/**
 * The public survey page: server-rendered HTML in the customer's language (a switch to the other),
 * mobile first, native controls (radio groups in fieldsets with legends, labelled text areas) so it
 * works with a keyboard and a screen reader; a small script of our own (the CSP allows no inline
 * script) sends the answers as JSON and shows the thank-you. It shows the survey and nothing else
 * of the organisation.
 */
import type { Responses, Survey } from "@tenet/feedback"

type Locale = "zh-CN" | "en"

export const STRINGS = {
  "zh-CN": {
    switchTo: "English",
    submit: "提交",
    sending: "正在提交…",
    required: "必填",
    optional: "选填",
    optOut: "以后不再向我发送此类问卷",
    noscript: "请启用 JavaScript 后提交问卷。",
    answered: "这份问卷已经提交过了，感谢您的反馈。",
    expired: "这个问卷链接已过期。如仍想反馈，请直接联系我们。",
    unknown: "找不到这份问卷。请检查链接是否完整。",
    thanks: "感谢您的反馈！",
    failed: "提交失败，请稍后重试。",
    fix: "请检查标出的问题。",
    rating: (n: number) => `${n} 分`,
  },
  en: {
    switchTo: "中文",
    submit: "Submit",
    sending: "Sending…",
    required: "required",
    optional: "optional",
    optOut: "Do not send me surveys like this again",
    noscript: "Please turn on JavaScript to send the survey.",
    answered: "This survey has already been answered. Thank you for your feedback.",
    expired:
      "This survey link has expired. If you still want to tell us something, please contact us directly.",
    unknown: "We could not find this survey. Please check that the link is complete.",
    thanks: "Thank you for your feedback!",
    failed: "Sending failed. Please try again in a moment.",
    fix: "Please check the questions marked.",
    rating: (n: number) => `${n}`,
  },
} as const

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!)

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;
line-height:1.55;color:#1a1a1a;background:#f6f7f9;font-size:16px}main{max-width:560px;margin:0 auto;padding:16px}
header{display:flex;justify-content:flex-end;padding:8px 0}a{color:#1d4ed8}h1{font-size:1.35rem;margin:8px 0 4px}
fieldset{border:0;margin:0 0 12px;padding:14px;background:#fff;border-radius:10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
legend{font-weight:600;padding:0;margin-bottom:8px;float:left;width:100%}legend+*{clear:both}.hint{color:#4b5563;font-size:.85rem;font-weight:400}
.scale{display:flex;flex-wrap:wrap;gap:6px}.scale label{flex:1 0 40px;min-width:40px}.scale input{position:absolute;opacity:0}
.scale span{display:block;text-align:center;padding:10px 0;border:1px solid #9ca3af;border-radius:8px;background:#fff;cursor:pointer}
.scale input:checked+span{background:#1d4ed8;color:#fff;border-color:#1d4ed8}.scale input:focus-visible+span{outline:3px solid #f59e0b;outline-offset:2px}
.ends{display:flex;justify-content:space-between;color:#4b5563;font-size:.85rem;margin-top:4px}
.choice label{display:flex;gap:8px;align-items:center;padding:6px 0}textarea{width:100%;min-height:88px;font:inherit;padding:8px;border:1px solid #9ca3af;border-radius:8px}
textarea:focus-visible,button:focus-visible,a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
button{width:100%;padding:14px;font:inherit;font-weight:600;color:#fff;background:#1d4ed8;border:0;border-radius:10px;cursor:pointer}
button[disabled]{background:#6b7280}.err{color:#b91c1c;font-size:.9rem}.optout{display:flex;gap:8px;align-items:flex-start;margin:4px 0 16px}
[role=status]{margin:12px 0;font-weight:600}.notice{background:#fff;padding:20px;border-radius:10px}`

const frame = (lang: Locale, title: string, body: string, switchHref?: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${esc(title)}</title><style>${STYLE}</style></head>
<body><main>${switchHref ? `<header><a href="${esc(switchHref)}" hreflang="${lang === "en" ? "zh-CN" : "en"}" lang="${lang === "en" ? "zh-CN" : "en"}">${STRINGS[lang].switchTo}</a></header>` : ""}${body}</main></body></html>`

/** The page of a link that is answered, expired or unknown: says so plainly. */
export const noticePage = (lang: Locale, state: "answered" | "expired" | "unknown") =>
  frame(
    lang,
    STRINGS[lang][state],
    `<div class="notice" role="status"><p>${esc(STRINGS[lang][state])}</p></div>`,
  )

const question = (q: Survey.Question, lang: Locale) => {
  const s = STRINGS[lang]
  const req = q.required !== false && q.type !== "text"
  const legend = `<legend id="q-${q.id}-l">${esc(q.text[lang])} <span class="hint">(${req ? s.required : s.optional})</span></legend>`
  const err = `<p class="err" id="q-${q.id}-e" hidden></p>`
  if (q.type === "rating") {
    const sc = q.scale!
    const opts = Array.from({ length: sc.max - sc.min + 1 }, (_, i) => sc.min + i)
      .map(
        (n) =>
          `<label><input type="radio" name="${q.id}" value="${n}"${req ? " required" : ""}><span>${esc(s.rating(n))}</span></label>`,
      )
      .join("")
    const ends =
      sc.low || sc.high
        ? `<div class="ends" aria-hidden="true"><span>${esc(sc.low?.[lang] ?? "")}</span><span>${esc(sc.high?.[lang] ?? "")}</span></div>`
        : ""
    const why = q.followUp
      ? `<div data-why="${q.id}" data-at-or-below="${q.followUp.atOrBelow}" hidden><label for="why-${q.id}">${esc(q.followUp.text[lang])}</label><textarea id="why-${q.id}" name="why:${q.id}" maxlength="2000"></textarea></div>`
      : ""
    return `<fieldset aria-describedby="q-${q.id}-e">${legend}<div class="scale">${opts}</div>${ends}${err}${why}</fieldset>`
  }
  if (q.type === "single" || q.type === "multiple") {
    const t = q.type === "single" ? "radio" : "checkbox"
    const opts = q
      .options!.map(
        (o) =>
          `<label><input type="${t}" name="${q.id}" value="${esc(o.id)}"${req && t === "radio" ? " required" : ""}>${esc(o.text[lang])}</label>`,
      )
      .join("")
    return `<fieldset aria-describedby="q-${q.id}-e" data-type="${q.type}">${legend}<div class="choice">${opts}</div>${err}</fieldset>`
  }
  return `<fieldset>${legend}<textarea id="q-${q.id}" name="${q.id}" aria-labelledby="q-${q.id}-l" maxlength="2000"></textarea>${err}</fieldset>`
}

/** The survey form. */
export const surveyPage = (
  token: string,
  lang: Locale,
  view: Extract<Responses.LinkView, { state: "open" }>,
) => {
  const d = view.definition
  const s = STRINGS[lang]
  const other = lang === "en" ? "zh-CN" : "en"
  const body = `<h1>${esc(d.title[lang])}</h1>${d.intro ? `<p>${esc(d.intro[lang])}</p>` : ""}
<noscript><p class="err">${esc(s.noscript)}</p></noscript>
<form id="survey" data-token="${esc(token)}" data-lang="${lang}" data-thanks="${esc(d.thanks?.[lang] ?? s.thanks)}"
 data-failed="${esc(s.failed)}" data-fix="${esc(s.fix)}" data-sending="${esc(s.sending)}"
 data-answered="${esc(s.answered)}" data-expired="${esc(s.expired)}" data-unknown="${esc(s.unknown)}" novalidate>
${d.questions.map((q) => question(q, lang)).join("\n")}
<label class="optout"><input type="checkbox" name="__optout">${esc(s.optOut)}</label>
<div role="status" aria-live="polite" id="status"></div>
<button type="submit">${esc(s.submit)}</button></form>
<script src="/api/v1/public/survey-page.js" defer></script>`
  return frame(lang, d.title[lang], body, `?lang=${other}`)
}

/** The page's script: shows "why?" on low scores, sends the answers as JSON, shows the thank-you or the errors. */
export const PAGE_SCRIPT = `"use strict";
(function () {
  var form = document.getElementById("survey");
  if (!form) return;
  var status = document.getElementById("status");
  form.addEventListener("change", function (e) {
    var t = e.target;
    if (!t || t.type !== "radio") return;
    var box = form.querySelector('[data-why="' + t.name + '"]');
    if (box) box.hidden = !(Number(t.value) <= Number(box.getAttribute("data-at-or-below")));
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var values = {}, why = {}, optOut = false;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      if (el.name === "__optout") { optOut = el.checked; return; }
      if (el.name.indexOf("why:") === 0) { var w = el.closest("[data-why]"); if (el.value.trim() && w && !w.hidden) why[el.name.slice(4)] = el.value; return; }
      if (el.type === "radio") { if (el.checked) values[el.name] = /^\\d+$/.test(el.value) && !el.closest("[data-type]") ? Number(el.value) : el.value; return; }
      if (el.type === "checkbox") { if (el.checked) (values[el.name] = values[el.name] || []).push(el.value); return; }
      if (el.tagName === "TEXTAREA" && el.value.trim()) values[el.name] = el.value;
    });
    form.querySelectorAll(".err").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    var button = form.querySelector("button");
    button.disabled = true;
    status.textContent = form.getAttribute("data-sending");
    fetch("/api/v1/public/surveys/" + encodeURIComponent(form.getAttribute("data-token")) + "/responses", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/problem+json, application/json" },
      body: JSON.stringify({ answers: { values: values, why: why }, locale: form.getAttribute("data-lang"), optOut: optOut }),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (r.ok) {
          var done = document.createElement("div");
          done.className = "notice"; done.setAttribute("role", "status");
          var p = document.createElement("p"); p.textContent = form.getAttribute("data-thanks"); done.appendChild(p);
          form.replaceWith(done); done.setAttribute("tabindex", "-1"); done.focus();
          return;
        }
        button.disabled = false;
        if (r.status === 409 || r.status === 404) {
          status.textContent = form.getAttribute(body.code === "surveyLinkUsed" ? "data-answered" : r.status === 404 ? "data-unknown" : "data-expired");
          return;
        }
        var issues = (body && (body.errors || body.issues)) || [];
        issues.forEach(function (i) {
          var path = String(i.path || "").split("/"), id = path[path.length - 1];
          var p = document.getElementById("q-" + id + "-e");
          if (p) { p.hidden = false; p.textContent = form.getAttribute("data-fix"); }
        });
        status.textContent = issues.length ? form.getAttribute("data-fix") : form.getAttribute("data-failed");
      });
    }, function () { button.disabled = false; status.textContent = form.getAttribute("data-failed"); });
  });
})();
`
