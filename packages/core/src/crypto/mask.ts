// Masked forms of personal values, shown to roles without the PI permission: 138****1234,
// z***@example.com, 张*.

/** 11-digit mainland mobile numbers keep 3 + 4 digits; other numbers keep their last 4. */
export const maskPhone = (v: string): string => {
  const d = v.replace(/[^0-9]/g, "")
  if (d.length === 11) return `${d.slice(0, 3)}****${d.slice(7)}`
  if (d.length <= 4) return "*".repeat(d.length)
  return `${"*".repeat(d.length - 4)}${d.slice(-4)}`
}

/** The first character of the local part, then `***@` and the domain. */
export const maskEmail = (v: string): string => {
  const at = v.lastIndexOf("@")
  if (at <= 0) return maskText(v)
  return `${[...v.slice(0, at)][0]}***${v.slice(at)}`
}

/**
 * A name: Chinese names keep the family name (张三 → 张*, 欧阳娜娜 → 欧***), Latin names the
 * first letter of each word (John Smith → J*** S***).
 */
export const maskName = (v: string): string => {
  const t = v.trim()
  if (/^[\p{Script=Han}·]+$/u.test(t)) {
    const chars = [...t]
    return chars[0] + "*".repeat(Math.max(chars.length - 1, 1))
  }
  return t
    .split(/\s+/)
    .map((w) => `${[...w][0] ?? ""}***`)
    .join(" ")
}

/** Any other value: its first character and `***`. */
export const maskText = (v: string): string => (v.length === 0 ? "" : `${[...v][0]}***`)

/** A contact point by channel. */
export const maskContact = (channel: string, value: string): string =>
  channel === "email" || value.includes("@")
    ? maskEmail(value)
    : channel === "phone" ||
        channel === "sms" ||
        channel === "wechat_phone" ||
        /^[+\d][\d ()-]{5,}$/.test(value)
      ? maskPhone(value)
      : maskText(value)
