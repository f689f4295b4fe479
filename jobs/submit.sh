# Sourced by jobs/<job>: runs 'ffspark <job> "$@"' through spark-submit with the cluster jar, or in this
# checkout's JVM (bin/ffspark, Spark local mode) when no SPARK_HOME is configured.
# Settings: conf/jobs.env (documented there), each overridable by an environment variable of the same name.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
load_jobs_env() {
  local file="${FFSPARK_JOBS_ENV:-$here/conf/jobs.env}" line key value
  [[ -f "$file" ]] || { echo "jobs: settings file $file not found (FFSPARK_JOBS_ENV)" >&2; exit 2; }
  while IFS= read -r line || [[ -n "$line" ]]; do
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    if [[ ! "$line" =~ ^([A-Z_][A-Z0-9_]*)=(.*)$ ]]; then
      echo "jobs: $file: cannot read line '$line' (expected KEY=value)" >&2; exit 2
    fi
    key="${BASH_REMATCH[1]}"; value="${BASH_REMATCH[2]}"
    if [[ -z "${!key+set}" ]]; then export "$key=$value"; fi
  done < "$file"
}
submit() {
  local job="$1"; shift
  load_jobs_env
  if [[ -z "${SPARK_HOME:-}" && "${FFSPARK_BUILD_SPARK_HOME:-0}" == 1 ]]; then
    SPARK_HOME="$("$here/deploy/spark-home")"; export SPARK_HOME
  fi
  if [[ " $* " == *" --help "* || " $* " == *" -h "* || -z "${SPARK_HOME:-}" ]]; then
    exec "$here/bin/ffspark" "$job" "$@"
  fi
  [[ -x "$SPARK_HOME/bin/spark-submit" ]] || { echo "jobs/$job: SPARK_HOME=$SPARK_HOME has no bin/spark-submit" >&2; exit 2; }
  local jar="${FFSPARK_JAR:-}"
  [[ -n "$jar" ]] || jar="$(ls "$here"/target/ffspark-*-cluster.jar 2>/dev/null | head -1 || true)"
  [[ -n "$jar" && -f "$jar" ]] || { echo "jobs/$job: no cluster jar; build it with: mvn -q package -DskipTests" >&2; exit 2; }
  local args=(--master "${SPARK_MASTER:-local[*]}" --deploy-mode "${FFSPARK_DEPLOY_MODE:-client}" --name "ffspark $job"
              --driver-memory "${FFSPARK_DRIVER_MEMORY:-4g}" --executor-memory "${FFSPARK_EXECUTOR_MEMORY:-2g}"
              --executor-cores "${FFSPARK_EXECUTOR_CORES:-1}"
              --conf "spark.executor.memoryOverhead=${FFSPARK_EXECUTOR_MEMORY_OVERHEAD:-1g}"
              --conf spark.executorEnv.OMP_NUM_THREADS=1)
  if [[ -n "${FFSPARK_TOTAL_EXECUTOR_CORES:-}" ]]; then args+=(--total-executor-cores "$FFSPARK_TOTAL_EXECUTOR_CORES"); fi
  if [[ -n "${FFSPARK_NUM_EXECUTORS:-}" ]]; then args+=(--num-executors "$FFSPARK_NUM_EXECUTORS"); fi
  export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
  # shellcheck disable=SC2086
  exec "$SPARK_HOME/bin/spark-submit" "${args[@]}" ${SPARK_SUBMIT_ARGS:-} --class org.ffspark.cli.Main "$jar" "$job" "$@"
}
