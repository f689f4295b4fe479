# Sourced by bin/* and jobs/*: sets JAVA to a Java 17 (Hadoop 3.3 fails on newer JDKs: "getSubject is not supported").
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"17\.'; then
  JAVA="$JAVA_HOME/bin/java"
elif [[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ]]; then
  JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
  export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
elif command -v java >/dev/null && java -version 2>&1 | grep -q '"17\.'; then
  JAVA="$(command -v java)"
else
  echo "ffspark: Java 17 not found (set JAVA_HOME to a JDK 17)" >&2
  exit 2
fi
