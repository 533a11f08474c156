#!/usr/bin/env bash
# Seed corpora for the fuzz targets from the crate's bundled data, models and fixtures
# (fuzz/corpus/<target>/; not committed). Targets whose first byte chooses options get the
# files with a zero byte in front. Run from anywhere: bash fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
c=fuzz/corpus
mkdir -p $c/{survey_csv,survey_stream,stream_split,kano_csv,servqual_csv,model_text,model_json,moments_json,resample_text,excel,spss}
pre() { # target file [byte]
  local t=$1 f=$2 b=${3:-0}
  { printf "\\x$(printf %02x "$b")"; head -c 6000 "$f"; } > "$c/$t/$(basename "$f").$b"
}
for f in data/acsi_sample.csv data/acsi_missing_400.csv data/ecsi_1000.csv data/rater_csi.csv; do
  for b in 0 2 8 64; do pre survey_csv "$f" $b; pre survey_stream "$f" $b; done
done
pre kano_csv data/kano_300.csv; pre kano_csv data/kano_300.csv 1
pre servqual_csv data/servqual_200.csv; pre servqual_csv data/servqual_200.csv 1
cp models/*.txt $c/model_text/
head -c 3000 tests/fixtures/reference/boot_indices_acsi_250_200.csv > $c/resample_text/boot.csv
printf '0 1 2 3 4 5\n5,4;3\t2 1 0\n\n29 29 29\n' > $c/resample_text/small.csv
printf 'a,b,c\n1,2,3\n4,5,6\n,NA,"7"\r\n' > $c/stream_split/small.csv
# Models and moments as JSON and a workbook, written by the crate itself.
CSINDEX_FUZZ_SEEDS=$PWD/$c cargo test --quiet --test fuzz_regressions -- --ignored write_seeds
# An SPSS file (pyreadstat, from PyPI) when Python has it.
python3 - "$c/spss/acsi.sav" <<'PY' || echo "seed.sh: no SPSS seed (pip install pyreadstat)"
import sys, pandas, pyreadstat
df = pandas.read_csv("data/acsi_sample.csv").head(20)
pyreadstat.write_sav(df, sys.argv[1], column_labels={df.columns[0]: "first item"},
                     variable_value_labels={df.columns[0]: {1.0: "low", 10.0: "high"}},
                     missing_ranges={df.columns[1]: [99]})
PY
