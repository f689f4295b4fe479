# Sourced by jobs/<job>: runs 'ffspark <job> "$@"' through spark-submit with the cluster jar when SPARK_HOME is
# set, else in this checkout's JVM (bin/ffspark, Spark local mode).
# Environment: SPARK_HOME, SPARK_MASTER (default local[*]), SPARK_SUBMIT_ARGS (extra spark-submit arguments,
# e.g. "--deploy-mode cluster --executor-memory 4g --num-executors 4").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
submit() {
  local job="$1"; shift
  if [[ -z "${SPARK_HOME:-}" || ! -x "${SPARK_HOME}/bin/spark-submit" ]]; then
    exec "$here/bin/ffspark" "$job" "$@"
  fi
  local jar
  jar="$(ls "$here"/target/ffspark-*-cluster.jar 2>/dev/null | head -1 || true)"
  [[ -n "$jar" ]] || { echo "jobs/$job: no cluster jar; run: mvn -q package -DskipTests" >&2; exit 2; }
  # shellcheck disable=SC2086
  exec "$SPARK_HOME/bin/spark-submit" --master "${SPARK_MASTER:-local[*]}" --name "ffspark $job" \
    --conf spark.executorEnv.OMP_NUM_THREADS=1 ${SPARK_SUBMIT_ARGS:-} \
    --class org.ffspark.cli.Main "$jar" "$job" "$@"
}
