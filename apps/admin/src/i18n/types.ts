import type { en } from "./en"

/** The shape of a language's messages: the same keys as English; plural forms may differ (zh has only `_other`). */
type Widen<T> = T extends string
  ? string
  : { readonly [K in keyof T as K extends `${string}_one` ? never : K]: Widen<T[K]> } & {
      readonly [K in keyof T as K extends `${string}_one` ? K : never]?: Widen<T[K]>
    }
export type Messages = Widen<typeof en>
