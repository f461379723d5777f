/**
 * Envelope encryption of personal fields (PR-10): the operator's key-encryption key
 * (`TENET_ENCRYPTION_KEY`) wraps a data key per organisation and version and a blind-index key per
 * organisation (`core.org_key`); modules seal personal columns with `cipherFor(ex, orgId)` and
 * find rows by exact value through blind indexes. Sealed values carry their key version
 * (`tnt1:<version>:<base64>`), so a rotation (`rotateDataKeys` then `reencrypt`) runs while the
 * product serves: reads open every version still held. Without a key, values are stored in clear
 * and the cipher is the identity (see docs/encryption.md).
 *
 * ```ts
 * Encryption.configure(Encryption.fromEnv())
 * const cipher = await Encryption.cipherFor(tx, ctx.orgId)
 * const row = { name: cipher.seal("customer.name", "张三"), phone_bidx: cipher.index("customer.phone", "phone", "13800138000") }
 * ```
 * @since 0.6.0
 */
export {
  cipherFor,
  disabledCipher,
  type FieldCipher,
  type IndexKind,
  normalize,
  PREFIX,
  plainIndex,
  refreshCipher,
  versionOf,
} from "./crypto/cipher"
export { configure, current, type EncryptionConfig, fromEnv, fromKey } from "./crypto/config"
export { EncryptionKeyError, generateKekText, type Kek, parseKek } from "./crypto/kek"
export { anyKeys, readKeys, rewrapAll, type StoredKey } from "./crypto/keyring"
export {
  type EncryptedTable,
  pending,
  type ReencryptReport,
  reencrypt,
  reencryptTable,
  resealText,
  rotateDataKeys,
  rotateIndexKeys,
} from "./crypto/rotation"
