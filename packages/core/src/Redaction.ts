/**
 * Redaction of sensitive numbers in free text (PR-08) and masking of personal values for roles
 * without the PI permission (PR-10).
 *
 * ```ts
 * Redaction.redact("卡号 6228 4800 1234 5678 903").text // "卡号 622848*********8903"
 * Redaction.maskPhone("13800138000") // "138****8000"
 * ```
 * @since 0.6.0
 */
export { maskContact, maskEmail, maskName, maskPhone, maskText } from "./crypto/mask"
export {
  isBankCardNumber,
  isIdCardNumber,
  luhn,
  maskBankCard,
  maskIdCard,
  type Redaction,
  redact,
} from "./crypto/redact"
