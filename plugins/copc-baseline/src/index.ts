import { definePlugin } from "@tenet/plugin-sdk"
import { Baseline } from "@tenet/standards"

/**
 * The COPC-aligned baseline: the structure of a COPC-style operation and the seed targets
 * (15-minute response, 30-minute initial record, 24 h / 48 h, survey within 24 h of resolution,
 * records kept ≥ 2 years) mapped to registry metrics — in our own words, no COPC text.
 */
export default definePlugin({
  id: "copc-baseline",
  version: "0.1.0",
  engines: { tenet: "^0.1" },
  name: { "zh-CN": "COPC 对齐基线标准", en: "COPC-aligned baseline" },
  contributes: { standards: [Baseline.copcBaseline()] },
})
