/**
 * The CJK font PDFs are set in. PDF has no fallback fonts: Chinese text needs a font that holds
 * it, embedded (as a subset) in the file. Tenet does not ship one (a full Noto Sans SC is
 * 16–20 MB; the npm packages of it are web subsets split by unicode-range, which a PDF library
 * cannot use as one font): it uses the system's Noto Sans CJK (Debian/Ubuntu `fonts-noto-cjk`,
 * Fedora `google-noto-sans-cjk-fonts`, Alpine `font-noto-cjk`), PingFang on macOS or Microsoft
 * YaHei on Windows, or the file named by `TENET_PDF_FONT` (a .ttf/.otf, or a .ttc with
 * `TENET_PDF_FONT_NAME` naming the face). When none is found, a PDF report fails with a message
 * that says so; CSV and XLSX need no font.
 */
import { existsSync } from "node:fs"
import { Errors } from "@tenet/core"

export interface PdfFont {
  readonly path: string
  /** The face inside a collection (.ttc); undefined for a single font file. */
  readonly face?: string | undefined
}

const CANDIDATES: ReadonlyArray<PdfFont> = [
  { path: "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  {
    path: "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    face: "NotoSansCJKsc-Regular",
  },
  { path: "/usr/share/fonts/noto/NotoSansCJK-Regular.ttc", face: "NotoSansCJKsc-Regular" },
  { path: "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf" },
  { path: "/System/Library/Fonts/PingFang.ttc", face: "PingFangSC-Regular" },
  { path: "C:\\Windows\\Fonts\\msyh.ttc", face: "MicrosoftYaHei" },
]

let found: PdfFont | null | undefined

/** The font to use, or undefined when this machine has none. */
export const findPdfFont = (env: NodeJS.ProcessEnv = process.env): PdfFont | undefined => {
  if (env.TENET_PDF_FONT) return { path: env.TENET_PDF_FONT, face: env.TENET_PDF_FONT_NAME || undefined }
  if (found === undefined) found = CANDIDATES.find((c) => existsSync(c.path)) ?? null
  return found ?? undefined
}

/** The font, or a problem that tells the operator what to install. */
export const requirePdfFont = (): PdfFont => {
  const font = findPdfFont()
  if (!font || !existsSync(font.path))
    throw new Errors.ConflictError({
      message:
        "no CJK font for PDF reports: install Noto Sans CJK (Debian/Ubuntu: apt-get install fonts-noto-cjk) or set TENET_PDF_FONT to a .ttf/.otf/.ttc file (and TENET_PDF_FONT_NAME to the face of a .ttc)",
      field: "format",
      code: "pdfFontMissing",
    })
  return font
}
