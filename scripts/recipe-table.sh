#!/usr/bin/env bash
# Prints a markdown table of perplexity, KL from fp32, top-1 agreement and quantization time for
# every recipe, on one model and one text, with one `bin/int4 eval` run (the recipes share one
# full-precision pass). Usage:
#   scripts/recipe-table.sh MODEL TEXT CALIB [CTX] [WINDOWS] [RECIPE...]
# CALIB is the calibration text of the recipes that need one (never the evaluation text).
# CALIB_SAMPLES and CALIB_LEN (environment) set the calibration size (default 32 x 512).
# SIMULATED=1 (environment) runs the quantized projections simulated instead of on the packed kernels.
# PROTOCOL=llama.cpp (environment) cuts and scores the text as llama-perplexity does (WINDOWS chunks).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$1"; TEXT="$2"; CALIB="$3"; CTX="${4:-256}"; WINDOWS="${5:-8}"
shift $(( $# < 5 ? $# : 5 ))
RECIPES=("$@")
if [ ${#RECIPES[@]} -eq 0 ]; then
  RECIPES=(fp32 w4a16 w4a8 w4a4 w4a4+rs w4a4+rot w4a4+rrs w4a4+dfrot w4a4+rot+kv4 w4a4+rrs+kv4
    w4a4+dfrot+kv4 w4a4+rrs+gptq w4a4+rrs+gptq+kv4 w4a4+dfrot+gptq w4a4+rptq w3a3+rptq w4a4+rptq+kv4
    w3a3+rptq+kv4 w4a4+rptq+gptq fp4 fp4+kv4
    w3a16 w3a16+gptq w3a16+adadim w3a16+gptq+adadim w4a16+adadim)
fi
LIST="$(IFS=,; echo "${RECIPES[*]}")"
ARGS=(eval --model "$MODEL" --text "$TEXT" --ctx "$CTX" --max-windows "$WINDOWS" --quant "$LIST"
  --calib "$CALIB" --calib-samples "${CALIB_SAMPLES:-32}" --calib-len "${CALIB_LEN:-512}" --json)
if [ -n "${PROTOCOL:-}" ]; then
  ARGS+=(--protocol "$PROTOCOL")
fi
if [ -n "${SIMULATED:-}" ]; then
  ARGS+=(--simulated)
fi

# One field of one JSON line printed by bin/int4 (numbers, or the quoted error text).
field() {
  sed -nE "s/.*\"$1\":(\"([^\"]*)\"|([-0-9.eE+]+)).*/\2\3/p" <<<"$2"
}

echo "date: $(date -u +%Y-%m-%d); commit: $(git -C "$ROOT" rev-parse --short HEAD)"
echo "command: bin/int4 ${ARGS[*]}"
echo
echo "| recipe | bpw | perplexity | KL vs fp32 | KL p99 | top-1 agreement | quantize s | execution |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"

while IFS= read -r line; do
  recipe="$(field recipe "$line")"
  error="$(field error "$line")"
  if [ -n "$error" ]; then
    echo "| $recipe | failed: $error | | | | | | |"
    continue
  fi
  p99="$(field kl_p99 "$line")"
  printf '| %s | %.3f | %.3f | %.4f | %s | %.3f | %.0f | %s |\n' "$recipe" "$(field bpw "$line")" \
    "$(field perplexity "$line")" "$(field kl_vs_fp32 "$line")" "$( [ -n "$p99" ] && printf '%.4f' "$p99" || echo -)" \
    "$(field top1_agreement "$line")" "$(field quantize_seconds "$line")" "$(field execution "$line")"
done < <("$ROOT/bin/int4" "${ARGS[@]}" 2>/dev/null || echo "{\"recipe\":\"(run)\",\"error\":\"bin/int4 eval exited non-zero\"}")

