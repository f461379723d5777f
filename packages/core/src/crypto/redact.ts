// Sensitive numbers in free text (PR-08): mainland ID card numbers (GB 11643-1999, 18 characters
// with an ISO 7064 MOD 11-2 check character) and bank card numbers (ISO/IEC 7812, Luhn check)
// are replaced by masked forms before a message is stored.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = "10X98765432"

/** True for an 18-character resident ID number whose birth date and check character are valid. */
export const isIdCardNumber = (s: string): boolean => {
  if (!/^\d{17}[\dXx]$/.test(s)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * WEIGHTS[i]!
  if (CHECK[sum % 11] !== s[17]!.toUpperCase()) return false
  const y = Number(s.slice(6, 10))
  const m = Number(s.slice(10, 12))
  const d = Number(s.slice(12, 14))
  const date = new Date(Date.UTC(y, m - 1, d))
  return y >= 1900 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** The Luhn (mod 10) check of a digit string. */
export const luhn = (digits: string): boolean => {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      n *= 2
      if (n > 9) n -= 9
    }
    sum += n
  }
  return sum % 10 === 0
}

/** True for a 13–19 digit card number with a payment-card first digit (2–6) that passes Luhn. */
export const isBankCardNumber = (digits: string): boolean => /^[2-6]\d{12,18}$/.test(digits) && luhn(digits)

/** An ID number masked to its first 3 and last 4 characters: 110***********002X. */
export const maskIdCard = (s: string): string => `${s.slice(0, 3)}${"*".repeat(s.length - 7)}${s.slice(-4)}`

/** A card number masked to its first 6 (the issuer) and last 4 digits, as PCI DSS allows: 622202******1234. */
export const maskBankCard = (digits: string): string =>
  `${digits.slice(0, 6)}${"*".repeat(digits.length - 10)}${digits.slice(-4)}`

/** What `redact` replaced. */
export interface Redaction {
  readonly text: string
  readonly idCards: number
  readonly bankCards: number
}

const ID_RE = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g
// 13–19 digits, optionally grouped by single spaces or dashes (6222 0200 1234 5678 901)
const CARD_RE = /(?<![0-9A-Za-z])\d(?:[ -]?\d){12,18}(?![0-9A-Za-z])/g

/**
 * Replace valid ID card and bank card numbers in `text` by their masked forms; numbers that fail
 * their check are left as they are (an order number is not a card).
 */
export const redact = (text: string): Redaction => {
  let idCards = 0
  let bankCards = 0
  const a = text.replace(ID_RE, (m) => {
    if (!isIdCardNumber(m)) return m
    idCards++
    return maskIdCard(m)
  })
  const b = a.replace(CARD_RE, (m) => {
    const digits = m.replace(/[ -]/g, "")
    if (!isBankCardNumber(digits)) return m
    bankCards++
    return maskBankCard(digits)
  })
  return { text: b, idCards, bankCards }
}
