import { definePlugin } from "@tenet/plugin-sdk"
import { copcBaseline } from "./standard"

/**
 * The COPC-aligned baseline: the structure of a COPC-style operation and the seed targets
 * (15-minute response, 30-minute initial record, 24 h / 48 h, survey within 24 h of resolution,
 * feedback answered within 24 h, CSAT, complaint handling, records kept ≥ 2 years) mapped to
 * registry metrics — in our own words, no COPC text. The plugin speaks only @tenet/plugin-sdk: its
 * standard is data.
 */
export default definePlugin({
  id: "copc-baseline",
  version: "0.2.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "COPC 对齐基线标准", en: "COPC-aligned baseline" },
  contributes: { standards: [copcBaseline] },
})
