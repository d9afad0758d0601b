#!/usr/bin/env bash
# Runs a throwaway MariaDB server for orm's tests (used as ctest fixtures).
#
#   mariadb_server.sh start DIR [--own] [--tls]
#                                 start a server whose files live in DIR and
#                                 write its connection URL to DIR/url
#   mariadb_server.sh stop DIR    stop that server and delete its data
#   mariadb_server.sh stop-keep DIR    stop it, keeping its data and port
#   mariadb_server.sh start-again DIR  start it again (after stop-keep) on the same port
#   mariadb_server.sh restart DIR      stop-keep, then start-again
#
# When ORM_TEST_MYSQL_URL is set, `start` only writes that URL to DIR/url and
# no server is started (the tests then use the existing server), unless --own
# asks for a private server (tests that stop and restart it).
#
# --tls (implies --own) makes a throwaway CA with openssl, a server certificate
# for 127.0.0.1/localhost signed by it, a client certificate, and a second,
# unrelated CA; the server runs with --ssl-ca/--ssl-cert/--ssl-key. Files in
# DIR/tls: ca.pem, server.pem, server-key.pem, client.pem, client-key.pem,
# wrong-ca.pem. A user that must use TLS (REQUIRE SSL) gets its URL in
# DIR/tls_url, and one that must present a client certificate signed by the CA
# (REQUIRE X509) in DIR/x509_url.
set -euo pipefail

readonly test_database=orm_test
readonly test_user=orm_test
readonly test_password='s3cr@t:pw'
readonly test_password_in_url='s3cr%40t%3Apw'
readonly tls_user=orm_tls
readonly x509_user=orm_x509
readonly startup_wait_seconds=30
readonly shutdown_wait_tenths=100 # 10 s

# Prints an error message and exits non-zero.
die() {
    echo "mariadb_server.sh: error: $*" >&2
    exit 1
}

# Prints the last lines of each given log file that is not empty to stderr.
show_log_tail() {
    local log
    for log in "$@"; do
        if [[ -s $log ]]; then
            echo "---- last lines of $log ----" >&2
            tail -n 30 "$log" >&2 || true
            echo "----" >&2
        fi
    done
}

# Finds a server program: on PATH, or in the sbin directories non-root PATHs lack.
find_program() {
    local name=$1 candidate
    if candidate=$(command -v "$name" 2>/dev/null); then
        echo "$candidate"
        return 0
    fi
    for candidate in "/usr/sbin/$name" "/usr/local/sbin/$name" "/usr/local/mysql/bin/$name"; do
        if [[ -x $candidate ]]; then
            echo "$candidate"
            return 0
        fi
    done
    die "cannot find '$name' (is mariadb-server installed?)"
}

# The socket path recorded for DIR (a short /tmp path when DIR is too long for a socket).
socket_path() {
    local dir=$1
    if [[ -f $dir/socket_path ]]; then
        cat "$dir/socket_path"
    else
        echo "$dir/mysqld.sock"
    fi
}

# True when `pid` is a live MariaDB/MySQL server process (guards against reused pids).
is_server_pid() {
    local pid=$1 comm
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null || echo unknown)
    [[ $comm == mariadbd || $comm == mysqld || $comm == unknown ]]
}

# Waits up to `tenths` tenths of a second for process `pid` to exit.
wait_for_exit() {
    local pid=$1 tenths=$2 i
    for ((i = 0; i < tenths; i++)); do
        is_server_pid "$pid" || return 0
        sleep 0.1
    done
    ! is_server_pid "$pid"
}

# Stops the server recorded in DIR (if any), keeping its files. Never fails.
shutdown_server() {
    local dir=$1 pid="" socket
    socket=$(socket_path "$dir")
    if [[ -f $dir/mariadbd.pid ]]; then
        pid=$(tr -dc '0-9' <"$dir/mariadbd.pid" || true)
    fi
    if [[ -n $pid ]] && is_server_pid "$pid"; then
        local admin
        admin=$(command -v mariadb-admin || command -v mysqladmin || true)
        if [[ -n $admin && -S $socket ]]; then
            timeout 15 "$admin" --no-defaults --socket="$socket" --user=root \
                --connect-timeout=5 shutdown >/dev/null 2>&1 || true
        fi
        if ! wait_for_exit "$pid" "$shutdown_wait_tenths"; then
            kill -TERM "$pid" 2>/dev/null || true
            if ! wait_for_exit "$pid" 50; then
                kill -KILL "$pid" 2>/dev/null || true
                wait_for_exit "$pid" 50 || true
            fi
        fi
        echo "MariaDB test server (pid $pid) stopped"
    fi
    rm -f "$dir/mariadbd.pid"
    return 0
}

# Stops the server recorded in DIR (if any) and removes its data. Never fails.
stop_server() {
    local dir=$1 socket
    socket=$(socket_path "$dir")
    shutdown_server "$dir"
    rm -f "$dir/url" "$dir/tls_url" "$dir/x509_url" "$dir/port"
    rm -rf "${dir:?}/tls"
    if [[ -f $dir/socket_path ]]; then
        local socket_dir
        socket_dir=$(dirname "$socket")
        rm -f "$socket"
        if [[ $socket_dir == /tmp/orm-mariadb.* ]]; then
            rmdir "$socket_dir" 2>/dev/null || true
        fi
        rm -f "$dir/socket_path"
    else
        rm -f "$socket"
    fi
    rm -rf "${dir:?}/data"
    return 0
}

# True when nothing accepts connections on 127.0.0.1:`port`.
port_is_free() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -z $(ss -Hltn "sport = :$port" 2>/dev/null) ]] || return 1
    fi
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Prints a random free loopback port in 20000-32767: below Linux's ephemeral
# range (32768-60999), so no client socket takes it while a server restarts.
pick_port() {
    local attempt port
    for ((attempt = 0; attempt < 100; attempt++)); do
        port=$(((RANDOM << 15 | RANDOM) % 12768 + 20000))
        if port_is_free "$port"; then
            echo "$port"
            return 0
        fi
    done
    die "found no free TCP port in 20000-32767"
}

# Launches mariadbd on `port` and waits until it answers; returns 2 when the
# port was taken meanwhile (the caller retries), dies on other failures.
launch_server() {
    local dir=$1 port=$2 socket=$3 mariadbd=$4 admin=$5
    local -a args=(--no-defaults "--datadir=$dir/data" "--socket=$socket" "--port=$port"
        --bind-address=127.0.0.1 --character-set-server=utf8mb4
        --collation-server=utf8mb4_unicode_ci --skip-name-resolve
        "--pid-file=$dir/mariadbd.pid" "--log-error=$dir/mariadbd.err" "--tmpdir=$dir/tmp")
    if [[ -f $dir/tls/server.pem ]]; then
        args+=("--ssl-ca=$dir/tls/ca.pem" "--ssl-cert=$dir/tls/server.pem" "--ssl-key=$dir/tls/server-key.pem")
    fi
    [[ $(id -u) -eq 0 ]] && args+=(--user=root)
    : >"$dir/mariadbd.err"
    : >"$dir/mariadbd.out"
    "$mariadbd" "${args[@]}" </dev/null >>"$dir/mariadbd.out" 2>&1 &
    local pid=$! deadline=$((SECONDS + startup_wait_seconds))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null || true
            if grep -q -i -E 'address already in use|do you already have another' "$dir/mariadbd.err"; then
                return 2
            fi
            show_log_tail "$dir/mariadbd.err" "$dir/mariadbd.out"
            die "mariadbd exited during start-up (see $dir/mariadbd.err)"
        fi
        if "$admin" --no-defaults --socket="$socket" --user=root --connect-timeout=2 \
            ping >/dev/null 2>&1; then
            echo "$pid" >"$dir/mariadbd.pid"  # in case the server has not written it yet
            return 0
        fi
        sleep 0.1
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait_for_exit "$pid" 50 || kill -KILL "$pid" 2>/dev/null || true
    show_log_tail "$dir/mariadbd.err" "$dir/mariadbd.out"
    die "mariadbd did not answer within $startup_wait_seconds s (see $dir/mariadbd.err)"
}

# Makes the throwaway certificates of a --tls server in DIR/tls.
make_certificates() {
    local tls=$1/tls openssl_bin
    openssl_bin=$(command -v openssl) || die "--tls needs openssl (run scripts/setup.sh)"
    mkdir -p "$tls"
    local -a quiet=(-batch)
    {
        "$openssl_bin" req -x509 -newkey rsa:2048 -nodes -days 2 "${quiet[@]}" -subj "/CN=orm test CA" \
            -keyout "$tls/ca-key.pem" -out "$tls/ca.pem"
        "$openssl_bin" req -x509 -newkey rsa:2048 -nodes -days 2 "${quiet[@]}" -subj "/CN=orm unrelated CA" \
            -keyout "$tls/wrong-ca-key.pem" -out "$tls/wrong-ca.pem"
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$tls/server.ext"
        "$openssl_bin" req -newkey rsa:2048 -nodes "${quiet[@]}" -subj "/CN=127.0.0.1" \
            -keyout "$tls/server-key.pem" -out "$tls/server.csr"
        "$openssl_bin" x509 -req -days 2 -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" \
            -CAcreateserial -extfile "$tls/server.ext" -out "$tls/server.pem"
        "$openssl_bin" req -newkey rsa:2048 -nodes "${quiet[@]}" -subj "/CN=orm test client" \
            -keyout "$tls/client-key.pem" -out "$tls/client.csr"
        "$openssl_bin" x509 -req -days 2 -in "$tls/client.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca-key.pem" \
            -CAcreateserial -out "$tls/client.pem"
    } >"$tls/openssl.log" 2>&1 || {
        show_log_tail "$tls/openssl.log"
        die "openssl could not make the test certificates (see $tls/openssl.log)"
    }
    rm -f "$tls/wrong-ca-key.pem" "$tls/server.csr" "$tls/client.csr" "$tls/server.ext"
}

# Starts a fresh server in DIR and writes its URL to DIR/url.
# Flags: --own (ignore ORM_TEST_MYSQL_URL), --tls (see the top of this file).
start_server() {
    local dir=$1 own=0 tls=0
    shift
    local flag
    for flag in "$@"; do
        case $flag in
            --own) own=1 ;;
            --tls) own=1 tls=1 ;;
            *) die "unknown option '$flag' (expected --own or --tls)" ;;
        esac
    done
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ $own -eq 0 && -n ${ORM_TEST_MYSQL_URL:-} ]]; then
        printf '%s\n' "$ORM_TEST_MYSQL_URL" >"$dir/url"
        echo "Using the existing MySQL server given by ORM_TEST_MYSQL_URL"
        return 0
    fi
    stop_server "$dir" >/dev/null

    local mariadbd install_db admin client
    mariadbd=$(find_program mariadbd)
    install_db=$(find_program mariadb-install-db)
    admin=$(find_program mariadb-admin)
    client=$(find_program mariadb)

    local socket=$dir/mysqld.sock
    if ((${#socket} > 100)); then  # sun_path holds 108 bytes
        local socket_dir
        socket_dir=$(mktemp -d /tmp/orm-mariadb.XXXXXX)
        socket=$socket_dir/mysqld.sock
        echo "$socket" >"$dir/socket_path"
    fi

    # Each server has its own tmpdir: a starting server deletes the "#sql" temporary
    # files it finds there, which broke another server's bootstrap in a shared /tmp.
    mkdir -p "$dir/tmp"
    local -a install_args=(--no-defaults "--datadir=$dir/data" "--tmpdir=$dir/tmp"
        --auth-root-authentication-method=normal --skip-test-db)
    [[ $(id -u) -eq 0 ]] && install_args+=(--user=root)
    if ! "$install_db" "${install_args[@]}" >"$dir/install-db.log" 2>&1; then
        show_log_tail "$dir/install-db.log"
        die "mariadb-install-db failed (see $dir/install-db.log)"
    fi

    [[ $tls -eq 1 ]] && make_certificates "$dir"

    local port attempt status
    for attempt in 1 2 3; do
        port=$(pick_port)
        status=0
        launch_server "$dir" "$port" "$socket" "$mariadbd" "$admin" || status=$?
        [[ $status -eq 0 ]] && break
        [[ $attempt -eq 3 ]] && { show_log_tail "$dir/mariadbd.err"; die "no free port after 3 attempts"; }
    done

    local setup_sql
    setup_sql="CREATE DATABASE IF NOT EXISTS \`$test_database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$test_user'@'127.0.0.1' IDENTIFIED BY '$test_password';
GRANT ALL PRIVILEGES ON *.* TO '$test_user'@'127.0.0.1';"
    if [[ $tls -eq 1 ]]; then
        setup_sql+="
CREATE USER IF NOT EXISTS '$tls_user'@'127.0.0.1' IDENTIFIED BY '$test_password' REQUIRE SSL;
GRANT ALL PRIVILEGES ON \`$test_database\`.* TO '$tls_user'@'127.0.0.1';
CREATE USER IF NOT EXISTS '$x509_user'@'127.0.0.1' IDENTIFIED BY '$test_password' REQUIRE X509;
GRANT ALL PRIVILEGES ON \`$test_database\`.* TO '$x509_user'@'127.0.0.1';"
    fi
    setup_sql+="
FLUSH PRIVILEGES;"
    if ! "$client" --no-defaults --socket="$socket" --user=root --batch \
        -e "$setup_sql" >"$dir/setup.log" 2>&1; then
        cat "$dir/setup.log" >&2
        stop_server "$dir" >/dev/null
        die "could not create the test database and user"
    fi

    echo "$port" >"$dir/port"
    write_url "$dir" "$test_user" url
    if [[ $tls -eq 1 ]]; then
        write_url "$dir" "$tls_user" tls_url
        write_url "$dir" "$x509_user" x509_url
    fi
    echo "MariaDB test server running on 127.0.0.1:$port (socket $socket, data in $dir/data)"
}

# Writes the URL of `user` on DIR's server to DIR/`file`.
write_url() {
    local dir=$1 user=$2 file=$3
    printf 'mysql://%s:%s@127.0.0.1:%s/%s\n' "$user" "$test_password_in_url" "$(cat "$dir/port")" \
        "$test_database" >"$dir/$file"
}

# Starts DIR's server again after stop-keep, on the same port and with the same data.
start_again() {
    local dir=$1 mariadbd admin port status=0
    [[ -f $dir/port && -d $dir/data ]] || die "no stopped server in $dir (start it first)"
    if [[ -f $dir/mariadbd.pid ]] && is_server_pid "$(tr -dc '0-9' <"$dir/mariadbd.pid")"; then
        die "the server in $dir is still running"
    fi
    mariadbd=$(find_program mariadbd)
    admin=$(find_program mariadb-admin)
    port=$(cat "$dir/port")
    # The port may be briefly held by another socket (e.g. a client's ephemeral
    # port): retry for up to 10 s before giving up.
    local attempt
    for ((attempt = 1; attempt <= 20; attempt++)); do
        status=0
        launch_server "$dir" "$port" "$(socket_path "$dir")" "$mariadbd" "$admin" || status=$?
        [[ $status -eq 2 ]] || break
        sleep 0.5
    done
    [[ $status -eq 0 ]] || die "port $port was taken while the server was down"
    echo "MariaDB test server running again on 127.0.0.1:$port"
}

main() {
    [[ $# -ge 2 ]] || die "usage: $0 start|stop|stop-keep|start-again|restart DIR [--own] [--tls]"
    local command=$1 dir=$2
    shift 2
    [[ -n $dir ]] || die "DIR must not be empty"
    [[ $command == start || $# -eq 0 ]] || die "only start takes options"
    case $command in
        start) start_server "$dir" "$@" ;;
        stop)
            [[ -d $dir ]] || exit 0
            stop_server "$(cd "$dir" && pwd)"
            ;;
        stop-keep)
            [[ -d $dir ]] || die "no server directory $dir"
            shutdown_server "$(cd "$dir" && pwd)"
            ;;
        start-again) start_again "$(cd "$dir" && pwd)" ;;
        restart)
            dir=$(cd "$dir" && pwd)
            shutdown_server "$dir"
            start_again "$dir"
            ;;
        *) die "unknown command '$command' (expected start, stop, stop-keep, start-again or restart)" ;;
    esac
}

main "$@"
