# Sourced by /usr/bin/bouncewatch and /usr/bin/test-mta: finds a Java 17+ runtime and runs a jar.
# POSIX sh (dash): no bashisms.

# Prints the major version of the JVM at $1 (17, 21 ...), from its "release" file when there is
# one (cheap), else from "java -version" (starts a JVM).
bw_java_major() {
    bw_home=$(dirname "$(dirname "$(readlink -f "$1")")")
    if [ -r "$bw_home/release" ]; then
        bw_version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$bw_home/release")
    else
        bw_version=$("$1" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    bw_version=${bw_version#1.}          # 1.8.0_392 -> 8.0_392
    echo "${bw_version%%[!0-9]*}"
}

# Sets BW_JAVA to the first Java 17+ among $JAVA_HOME, the PATH's java and /usr/lib/jvm/*.
bw_find_java() {
    for bw_candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null)" \
            /usr/lib/jvm/default-java/bin/java /usr/lib/jvm/*/bin/java; do
        [ -x "$bw_candidate" ] || continue    # also skips an empty candidate
        bw_major=$(bw_java_major "$bw_candidate")
        if [ -n "$bw_major" ] && [ "$bw_major" -ge 17 ]; then
            BW_JAVA=$bw_candidate
            return 0
        fi
    done
    echo "$(basename "$0"): no Java 17 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm);" \
         "install one: apt-get install default-jre-headless" >&2
    return 1
}

# bw_cds_opts ARCHIVE JAR: prints the JVM options for an application class-data archive (AppCDS:
# the agent's classes pre-parsed in a file the JVM maps, for a faster start and a smaller RSS).
# Java 17 cannot build one by itself when it is missing (that came in 19), so: when ARCHIVE exists
# and was made by this JVM for this jar, use it; otherwise have this run write it when it exits
# (systemctl stop or restart), from the classes it actually loaded. Needs BW_JAVA.
bw_cds_opts() {
    bw_archive=$1
    bw_jvm=$(readlink -f "$BW_JAVA")
    bw_stamp="$bw_jvm $(stat -L -c %s:%Y "$bw_jvm" "$(dirname "$(dirname "$bw_jvm")")"/lib/server/libjvm.so "$2" 2>/dev/null | tr '\n' ' ')"
    if [ -f "$bw_archive" ] && [ "$(cat "$bw_archive.stamp" 2>/dev/null)" = "$bw_stamp" ]; then
        echo "-XX:SharedArchiveFile=$bw_archive -Xlog:cds=off -Xlog:cds+dynamic=off"
    elif rm -f "$bw_archive" 2>/dev/null && { printf '%s\n' "$bw_stamp" >"$bw_archive.stamp"; } 2>/dev/null; then
        echo "-XX:ArchiveClassesAtExit=$bw_archive -Xlog:cds=off -Xlog:cds+dynamic=off"
    fi
}

# bw_exec_jar JAR DEFAULT_JAVA_OPTS EXTRA_JAVA_OPTS ARGS...: replaces this shell with the JVM, so
# the JVM is the process systemd watches (Type=notify accepts READY=1 only from the main PID).
# JAVA_OPTS from the environment (the units set it) replaces the default, even when set to empty;
# EXTRA_JAVA_OPTS come after it.
bw_exec_jar() {
    bw_jar=$1
    bw_default_opts=$2
    bw_extra_opts=$3
    shift 3
    set -f                                   # options are split on spaces, never globbed
    # shellcheck disable=SC2086
    exec "$BW_JAVA" ${JAVA_OPTS-$bw_default_opts} $bw_extra_opts -jar "$bw_jar" "$@"
}
