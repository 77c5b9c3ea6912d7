#!/usr/bin/env bash
# The real CKAN 2.11 the publish tests release to, on 127.0.0.1 only.
#
#   tests/ckan/ckan.sh install   venv .venv-ckan with tests/ckan/requirements.txt and
#                                requirements-dcat.txt (ckanext-dcat; skipped when
#                                the requirements are unchanged since the last install)
#   tests/ckan/ckan.sh start     a private PostgreSQL cluster, Redis, the Solr stand-in
#                                (tests/ckan/solr.py) and CKAN, all under target/ckan/; the first
#                                start also makes the users, organizations and API tokens and
#                                writes target/ckan/env, which the tests read. Already running:
#                                says so and exits 0.
#   tests/ckan/ckan.sh stop      stops all four; nothing running is fine
#   tests/ckan/ckan.sh status    exit status 0 when CKAN answers status_show
#
# Ports (env): KOHYO_CKAN_PORT (5055), KOHYO_SOLR_PORT (8983), KOHYO_PG_PORT (54329),
# KOHYO_REDIS_PORT (63799). Needs Debian's postgresql (15) and redis-server (.ci/run installs
# them). As root, PostgreSQL runs as the `postgres` user (it refuses root). Remove target/ckan
# (after `stop`) for a fresh catalog.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
state=$root/target/ckan
venv=$root/.venv-ckan
req=$root/tests/ckan/requirements.txt
# ckanext-dcat, the second client of catalog/dcat.jsonld (tests/dcat_ckan.rs)
req_dcat=$root/tests/ckan/requirements-dcat.txt
ckan_port=${KOHYO_CKAN_PORT:-5055}
solr_port=${KOHYO_SOLR_PORT:-8983}
pg_port=${KOHYO_PG_PORT:-54329}
redis_port=${KOHYO_REDIS_PORT:-63799}
pgbin=/usr/lib/postgresql/15/bin
# The PostgreSQL cluster lives under target/ckan/ unless the postgres user cannot reach it
# (as root, in a clone under a folder others cannot search, such as /root): then in a folder
# of its own under /tmp, named after this clone so two clones never share one. The choice is
# recorded, so stop finds the cluster start made.
pgbase() {
    if [[ -f $state/pgbase ]]; then cat "$state/pgbase"; return; fi
    local base=$state
    if ((EUID == 0)) && ! runuser -u postgres -- test -x "$state"; then
        base=/tmp/kohyo-ckan-pg-$(printf '%s' "$state" | sha256sum | cut -c1-12)
    fi
    printf '%s' "$base"
}
url=http://127.0.0.1:$ckan_port
ini=$state/ckan.ini

say() { printf 'ckan.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
ckan() { "$venv/bin/ckan" -c "$ini" "$@"; }
# PostgreSQL's tools, as the postgres user when we are root.
pg() { if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi; }
# Whether the process in pidfile $1 runs (a zombie waiting for init to reap it does not).
running() { local st; st=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $st != Z* ]]; }
alive() { [[ -f $1 ]] && running "$(cat "$1")"; }
answers() { curl -fsS -m 5 "$url/api/3/action/status_show" >/dev/null 2>&1; }
# Wait up to $1 seconds for command "${@:2}" to succeed.
wait_for() {
    local t=$1 i
    shift
    for ((i = 0; i < t * 10; i++)); do "$@" && return 0; sleep 0.1; done
    return 1
}

install() {
    local hash
    hash=$(cat "$req" "$req_dcat" | sha256sum | cut -d' ' -f1)
    if [[ -x $venv/bin/ckan && -f $venv/.kohyo-requirements && $(cat "$venv/.kohyo-requirements") == "$hash" ]]; then
        say "CKAN already installed in $venv"
        return
    fi
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req" -r "$req_dcat"
    echo "$hash" >"$venv/.kohyo-requirements"
    say "installed $("$venv/bin/pip" show ckan | sed -n 's/^Version: /CKAN /p') in $venv"
}

start_postgres() {
    local base
    base=$(pgbase)
    # A first start: a cluster left under /tmp by an earlier target/ckan is not this one's.
    if [[ ! -f $state/env && $base == /tmp/kohyo-ckan-pg-* && -d $base ]]; then
        pg "$pgbin/pg_ctl" -D "$base/pg" -m fast -w -s stop >/dev/null 2>&1 || true
        rm -rf "$base"
    fi
    printf '%s' "$base" >"$state/pgbase"
    if [[ ! -f $base/pg/PG_VERSION ]]; then
        mkdir -p "$base/pg" "$base/run"
        chmod 755 "$base"
        ((EUID == 0)) && chown postgres: "$base/pg" "$base/run"
        pg test -w "$base/pg" ||
            die "PostgreSQL runs as the postgres user, who cannot write $base/pg"
        pg "$pgbin/initdb" -D "$base/pg" -U postgres --auth=trust -E UTF8 --no-locale >"$state/initdb.log"
    fi
    if ! pg "$pgbin/pg_ctl" -D "$base/pg" status >/dev/null 2>&1; then
        : >"$base/postgres.log"
        ((EUID == 0)) && chown postgres: "$base/postgres.log"
        pg "$pgbin/pg_ctl" -D "$base/pg" -l "$base/postgres.log" -w -s \
            -o "-p $pg_port -k $base/run -c listen_addresses=127.0.0.1" start ||
            die "PostgreSQL did not start: $(tail -5 "$base/postgres.log")"
    fi
}

start_redis() {
    alive "$state/redis.pid" && return
    redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --pidfile "$state/redis.pid" \
        --dir "$state" --logfile "$state/redis.log" --save '' --appendonly no
    wait_for 5 alive "$state/redis.pid" || die "Redis did not start: $(tail -5 "$state/redis.log")"
}

start_solr() {
    alive "$state/solr.pid" && return
    nohup python3 "$root/tests/ckan/solr.py" ${KOHYO_SOLR_LOG:+--log} --port "$solr_port" --data "$state/solr-docs.json" \
        >>"$state/solr.log" 2>&1 </dev/null &
    echo $! >"$state/solr.pid"
    wait_for 5 curl -fs -m 1 "http://127.0.0.1:$solr_port/solr/ckan/select/?q=*:*&rows=1&wt=json" -o /dev/null ||
        die "the Solr stand-in did not start: $(tail -5 "$state/solr.log")"
}

# Where CKAN finds the others; set on every start, so a changed port is taken up.
settings() {
    # ckan.devserver.threaded: the tests call it from parallel threads, as a site under uWSGI is.
    "$venv/bin/ckan" config-tool "$ini" \
        "sqlalchemy.url=postgresql://ckan@127.0.0.1:$pg_port/ckan" \
        "solr_url=http://127.0.0.1:$solr_port/solr/ckan" \
        "ckan.redis.url=redis://127.0.0.1:$redis_port/0" \
        "ckan.storage_path=$state/storage" \
        "ckan.site_url=$url" \
        "ckan.devserver.threaded=true" >/dev/null
}

# The first start: the database and its schema (before CKAN runs), the sysadmin and its token.
setup() {
    pg "$pgbin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres \
        -c "CREATE ROLE ckan LOGIN" -c "CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' TEMPLATE template0"
    ckan db init >"$state/setup.log" 2>&1 || die "ckan db init failed: $(tail -5 "$state/setup.log")"
    ckan db upgrade -p activity >>"$state/setup.log" 2>&1 || die "activity migration failed"
    echo y | ckan sysadmin add kohyo-admin email=kohyo-admin@example.invalid password=kohyo-admin-pass \
        >>"$state/setup.log" 2>&1 || die "sysadmin add failed: $(tail -5 "$state/setup.log")"
    ckan user token add kohyo-admin kohyo --quiet 2>>"$state/setup.log" | tail -1 >"$state/sysadmin.token"
}

# With CKAN up: the organizations, their users and tokens, through the action API as the sysadmin.
provision() {
    python3 - "$url" "$(cat "$state/sysadmin.token")" "$state" <<'EOF'
import json, sys, urllib.request
url, admin, state = sys.argv[1:]

def action(name, body, token=admin):
    req = urllib.request.Request(f"{url}/api/3/action/{name}", json.dumps(body).encode(),
                                 {"Authorization": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)["result"]

tokens = {}
for user, org, title in [("tomakomai-editor", "tomakomai", "苫小牧市"),
                         ("other-editor", "other-city", "Other City")]:
    action("user_create", {"name": user, "email": f"{user}@example.invalid",
                           "password": f"{user}-pass"})
    action("organization_create", {"name": org, "title": title,
                                   "users": [{"name": user, "capacity": "admin"}]})
    tokens[user] = action("api_token_create", {"user": user, "name": "kohyo"})["token"]
with open(f"{state}/env.tmp", "w") as f:
    f.write(f"""CKAN_URL={url}
CKAN_ORG=tomakomai
CKAN_OTHER_ORG=other-city
CKAN_TOKEN={tokens["tomakomai-editor"]}
CKAN_OTHER_TOKEN={tokens["other-editor"]}
CKAN_SYSADMIN_TOKEN={admin}
CKAN_STORAGE={state}/storage
CKAN_LOG={state}/ckan.log
""")
EOF
    mv "$state/env.tmp" "$state/env"
}

start() {
    if answers && [[ -f $state/env ]]; then
        say "CKAN already running at $url (settings in $state/env)"
        return
    fi
    [[ -x $venv/bin/ckan ]] || die "CKAN is not installed: run tests/ckan/ckan.sh install first"
    command -v redis-server >/dev/null && [[ -x $pgbin/initdb ]] ||
        die "needs Debian's postgresql and redis-server: apt-get install postgresql redis-server"
    if [[ -d $state && ! -f $state/env ]]; then # a first start that did not finish: afresh
        stop
        [[ -f $state/pgbase && $(cat "$state/pgbase") == /tmp/kohyo-ckan-pg-* ]] &&
            rm -rf "$(cat "$state/pgbase")"
        rm -rf "$state"
    fi
    mkdir -p "$state"
    local t0=$SECONDS fresh=
    [[ -f $state/env ]] || fresh=1
    start_postgres
    start_redis
    start_solr
    [[ -z $fresh ]] || "$venv/bin/ckan" generate config "$ini" >/dev/null
    if ! alive "$state/ckan.pid"; then
        settings
        [[ -z $fresh ]] || setup
        nohup "$venv/bin/ckan" -c "$ini" run --disable-reloader -H 127.0.0.1 -p "$ckan_port" \
            >>"$state/ckan.log" 2>&1 </dev/null &
        echo $! >"$state/ckan.pid"
    fi
    local i
    for ((i = 0; i < 600; i++)); do
        answers && break
        alive "$state/ckan.pid" || break
        sleep 0.1
    done
    answers || die "CKAN did not answer $url/api/3/action/status_show ($( ((i < 600)) &&
        echo "it exited" || echo "60 s")); $state/ckan.log ends:
$(tail -20 "$state/ckan.log")"
    [[ -z $fresh ]] || provision
    sed -i "s|^CKAN_URL=.*|CKAN_URL=$url|" "$state/env"
    say "CKAN running at $url after $((SECONDS - t0)) s; settings in $state/env"
}

stop_pid() { # name pidfile
    if alive "$2"; then
        local pid
        pid=$(cat "$2")
        kill "$pid"
        wait_for 10 eval "! running $pid" || kill -9 "$pid" 2>/dev/null || true
        say "stopped $1"
    fi
    rm -f "$2"
}

stop() {
    stop_pid CKAN "$state/ckan.pid"
    stop_pid "the Solr stand-in" "$state/solr.pid"
    stop_pid Redis "$state/redis.pid"
    local base
    base=$(pgbase)
    if [[ -f $base/pg/PG_VERSION ]] && pg "$pgbin/pg_ctl" -D "$base/pg" status >/dev/null 2>&1; then
        pg "$pgbin/pg_ctl" -D "$base/pg" -m fast -w -s stop
        say "stopped PostgreSQL"
    fi
}

status() {
    if answers; then
        say "CKAN answers at $url"
    else
        say "CKAN does not answer at $url"
        return 1
    fi
}

case "${1:-}" in
install | start | stop | status) "$1" ;;
*) die "usage: tests/ckan/ckan.sh install|start|stop|status" ;;
esac
