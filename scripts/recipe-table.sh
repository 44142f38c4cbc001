#!/usr/bin/env bash
# Prints a markdown table of perplexity, KL from fp32 and top-1 agreement for every recipe, on one
# model and one text, with bin/int4 eval. Usage:
#   scripts/recipe-table.sh MODEL TEXT CALIB [CTX] [WINDOWS] [RECIPE...]
# CALIB is the calibration text of the recipes that need one (never the evaluation text).
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

# One numeric field of the one-line JSON object bin/int4 prints.
field() {
  sed -E "s/.*\"$1\":([-0-9.eE+]+).*/\1/" <<<"$json"
}

echo "model: $MODEL; text: $TEXT ($WINDOWS windows of $CTX tokens, BOS first); calibration: $CALIB"
echo
echo "| recipe | perplexity | KL vs fp32 | top-1 agreement |"
echo "|---|---:|---:|---:|"
for r in "${RECIPES[@]}"; do
  json="$("$ROOT/bin/int4" eval --model "$MODEL" --text "$TEXT" --ctx "$CTX" --max-windows "$WINDOWS" \
    --quant "$r" --calib "$CALIB" --json 2>/dev/null)" || { echo "| $r | failed | | |"; continue; }
  printf '| %s | %.3f | %.4f | %.3f |\n' "$r" "$(field perplexity)" "$(field kl_vs_fp32)" "$(field top1_agreement)"
done
