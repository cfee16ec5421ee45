#!/bin/bash
# A sweep as a Slurm job array: array task i of N runs `aifab sweep --shard i/N`,
# then a merge job, started only once every task has succeeded, joins the
# shards into what one unsharded run would have written, byte for byte.
#
# From the repository root, on a shared file system, after `npm ci`:
#
#   bash configs/sweeps/slurm-sweep.sh        # submits the array, then the merge
#   SWEEP=configs/sweeps/small.json OUT=out/small bash configs/sweeps/slurm-sweep.sh
#
# A task cut short (time limit, preemption, node failure) can be run again as
# it is: --resume skips the points it had finished (their point.json). Give
# the same SWEEP and OUT as the first submission, and say how many shards there
# are, since a one-task array counts one:
#   SHARDS=4 SWEEP=... OUT=... sbatch --array=3 configs/sweeps/slurm-sweep.sh   # then the merge by hand
#
# Every task runs in the directory the array was submitted from (Slurm's
# default): `aifab merge` refuses shards whose spec or input files differ,
# and the paths the reports record are relative to that directory.
#
#SBATCH --job-name=aifab-sweep
#SBATCH --array=1-4
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --output=out/slurm/%x-%A_%a.log
set -euo pipefail

SWEEP=${SWEEP:-configs/sweeps/roce-vs-ai-ethernet-8-seeds.json}
OUT=${OUT:-out/sweep}
SHARDS=${SHARDS:-${SLURM_ARRAY_TASK_COUNT:-}}

if [ -z "${SLURM_ARRAY_TASK_ID:-}" ]; then
  # Run by hand: submit this script as the array, then the merge after it (afterok: every task exited 0).
  mkdir -p out/slurm
  array=$(sbatch --parsable --export=ALL,SWEEP="$SWEEP",OUT="$OUT" "$0")
  merge=$(sbatch --parsable --dependency=afterok:"$array" --job-name=aifab-merge --cpus-per-task=1 --mem=2G \
    --output=out/slurm/%x-%j.log --wrap "npx aifab merge $OUT/shard-* --out $OUT/merged")
  echo "submitted array $array (shards of $SWEEP) and merge $merge; the result goes to $OUT/merged"
  exit 0
fi

# Array task: shard i of N, 1-based like the array (--array=1-4), one worker thread per CPU Slurm gave.
npx aifab sweep "$SWEEP" \
  --shard "$SLURM_ARRAY_TASK_ID/$SHARDS" \
  --workers "${SLURM_CPUS_PER_TASK:-1}" \
  --out "$OUT/shard-$SLURM_ARRAY_TASK_ID" --resume --quiet
