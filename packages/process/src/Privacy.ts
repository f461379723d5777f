/**
 * Personal data in the process module: which columns are sealed (core's `Encryption`) and how,
 * the tables the re-encryption pass visits, and the masked forms shown to roles without the PI
 * permission.
 *
 * ```ts
 * await Encryption.reencrypt(db, Privacy.encryptedTables) // after configuring a key or rotating
 * Privacy.maskCustomer(customer) // { name: "张*", contacts: [{ channel: "phone", value: "138****8000" }] }
 * ```
 * @since 0.6.0
 */

export { customerCorrector } from "./privacy/corrector"
export { contactKind, FIELDS, maskCustomer, openCase, openCustomer, openEvent } from "./privacy/fields"
export { encryptedTables } from "./privacy/tables"
