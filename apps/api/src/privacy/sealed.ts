/** The field names the modules seal personal values under, for a subject export to open them. */
import { Privacy as FeedbackPrivacy } from "@tenet/feedback"
import { Privacy as ProcessPrivacy } from "@tenet/process"

export const SEALED_FIELDS: ReadonlyArray<string> = [
  ...Object.values(ProcessPrivacy.FIELDS),
  ...Object.values(FeedbackPrivacy.FIELDS),
]
