#!/bin/sh
# `make install` into a scratch root (DESTDIR) and checks what a user and an admin rely on:
# every file in its place, the installed binary finding its presets and soundfont by itself,
# the man page and completions working, both units passing `systemd-analyze verify`, the
# system unit scoring 2.5 or lower in `systemd-analyze security`, systemd-sysusers making the
# improv user in the audio group, and `make uninstall` keeping the admin's configuration.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=$(mktemp -d /tmp/improv-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
pass=0
fail() { echo "test-install: FAIL: $*"; exit 1; }
ok() { pass=$((pass + 1)); echo "ok   $*"; }

cd "$ROOT"
make -s install DESTDIR="$D" PREFIX=/usr >"$D.log" 2>&1 || { tail -20 "$D.log"; fail "make install failed"; }
for f in usr/bin/improv usr/share/man/man1/improv.1 usr/lib/systemd/system/improv.service \
         usr/lib/systemd/user/improv.service usr/lib/sysusers.d/improv.conf etc/improv/improv.conf \
         usr/share/improv/presets/blues-call-response.toml usr/share/improv/presets/blues-backing.toml \
         usr/share/improv/presets/desktop-call-response.toml usr/share/improv/presets/README.md \
         usr/share/improv/models/default.safetensors usr/share/improv/soundfonts/improv.sf2 \
         usr/share/bash-completion/completions/improv usr/share/zsh/site-functions/_improv \
         usr/share/fish/vendor_completions.d/improv.fish; do
    [ -s "$D/$f" ] || fail "make install did not install /$f"
done
[ -x "$D/usr/bin/improv" ] || fail "/usr/bin/improv is not executable"
grep -q "^ExecStart=/usr/bin/improv daemon" "$D/usr/lib/systemd/system/improv.service" || fail "the system unit does not start /usr/bin/improv"
grep -q "^ExecStart=/usr/bin/improv daemon" "$D/usr/lib/systemd/user/improv.service" || fail "the user unit does not start /usr/bin/improv"
ok "make install DESTDIR PREFIX=/usr put all $(find "$D" -type f | wc -l) files in place"

# The installed binary, run away from the source tree, finds what was installed with it.
cd /tmp
out=$("$D/usr/bin/improv" presets) || fail "improv presets failed"
echo "$out" | grep -q "$D/usr/share/improv/presets" || fail "improv presets did not list the installed folder: $out"
echo "$out" | grep -q "blues-backing .*backing, F, 132 BPM" || fail "improv presets: $out"
out=$(env -u IMPROV_SOUNDFONT "$D/usr/bin/improv" jam --preset blues-backing --seed 3 --wav "$D/jam.wav") || fail "installed jam failed"
echo "$out" | grep -q "soundfont $D/usr/share/improv/soundfonts/improv.sf2" || fail "jam did not use the installed soundfont: $out"
[ -s "$D/jam.wav" ] || fail "no WAV from the installed binary"
"$D/usr/bin/improv" eval --model "$D/usr/share/improv/models/default.safetensors" --choruses 4 --seed 1 >/dev/null \
    || fail "the installed default model does not load"
ok "the installed binary finds its presets by name, its soundfont and its model"
cd "$ROOT"

# The man page: every command, rendered by man(1).
page=$(MANWIDTH=100 man -l "$D/usr/share/man/man1/improv.1" 2>&1) || fail "man cannot render improv.1"
for cmd in daemon jam train render presets plot; do
    echo "$page" | grep -q "^ *$cmd" || fail "the man page has no '$cmd' section"
done
echo "$page" | grep -q "SIGHUP" || fail "the man page does not say what SIGHUP does"
ok "man improv renders, with every command"

# Completions: bash completes subcommands and options of the installed script.
words=$(bash -c '. "$1"; COMP_WORDS=(improv da); COMP_CWORD=1; COMP_LINE="improv da"; COMP_POINT=9
    f=$(complete -p improv | sed "s/.*-F \([^ ]*\).*/\1/"); $f improv da improv; echo "${COMPREPLY[@]}"' _ \
    "$D/usr/share/bash-completion/completions/improv") || fail "the bash completion does not load"
echo "$words" | grep -qw daemon || fail "bash completion of 'improv da' gave '$words'"
words=$(bash -c '. "$1"; COMP_WORDS=(improv daemon --log); COMP_CWORD=2; COMP_LINE="improv daemon --log"; COMP_POINT=19
    f=$(complete -p improv | sed "s/.*-F \([^ ]*\).*/\1/"); $f improv --log daemon; echo "${COMPREPLY[@]}"' _ \
    "$D/usr/share/bash-completion/completions/improv") || fail "the bash completion does not load"
echo "$words" | grep -q -- "--log-level" || fail "bash completion of 'improv daemon --log' gave '$words'"
grep -q "daemon" "$D/usr/share/zsh/site-functions/_improv" || fail "the zsh completion lacks daemon"
grep -q "daemon" "$D/usr/share/fish/vendor_completions.d/improv.fish" || fail "the fish completion lacks daemon"
ok "bash completes 'improv da' to daemon and 'improv daemon --log' to --log-level; zsh and fish scripts made"

# The units, as systemd reads them (verify also checks that ExecStart and the man page exist).
# The service user must exist for verify; systemd-sysusers makes it in the scratch root.
mkdir -p "$D/etc"
cp /etc/passwd /etc/group "$D/etc/"
[ -e /etc/shadow ] && cp /etc/shadow "$D/etc/" || true
[ -e /etc/gshadow ] && cp /etc/gshadow "$D/etc/" || true
systemd-sysusers --root="$D" "$D/usr/lib/sysusers.d/improv.conf" || fail "systemd-sysusers refused improv.sysusers"
grep -q '^improv:x:[0-9]*:[0-9]*:improv MIDI improviser:/var/lib/improv:' "$D/etc/passwd" || fail "sysusers made no improv user: $(grep improv "$D/etc/passwd")"
grep -Eq '^audio:x:[0-9]+:(.*,)?improv(,|$)' "$D/etc/group" || fail "improv is not in the audio group: $(grep '^audio' "$D/etc/group")"
ok "systemd-sysusers makes the improv user in the audio group"
# verify --root resolves everything inside the root: lend it systemd's own targets and kill(1)
# (removed again below, before the uninstall check).
lent=$(mktemp "$D.lent.XXXXXX")
for dir in /usr/lib/systemd/system /usr/lib/systemd/user /lib/systemd/system /lib/systemd/user; do
    [ -d "$dir" ] || continue
    for t in "$dir"/*.target; do
        dest="$D/usr/lib/systemd/${dir##*/}/${t##*/}"
        [ -e "$dest" ] || { cp "$t" "$dest" && echo "$dest" >>"$lent"; }
    done
done
mkdir -p "$D/bin" && cp /bin/kill "$D/bin/kill" && echo "$D/bin/kill" >>"$lent"
msg=$(MANPATH="$D/usr/share/man" SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --root="$D" \
    /usr/lib/systemd/system/improv.service 2>&1) || fail "systemd-analyze verify (system unit): $msg"
[ -z "$msg" ] || fail "systemd-analyze verify (system unit) complained: $msg"
# A user manager cannot take --root: verify a copy whose ExecStart points into the scratch root.
mkdir -p "$D/verify-user" "$D/run/user" && chmod 700 "$D/run/user"
sed "s|/usr/bin/improv|$D/usr/bin/improv|" "$D/usr/lib/systemd/user/improv.service" >"$D/verify-user/improv.service"
msg=$(XDG_RUNTIME_DIR="$D/run/user" MANPATH="$D/usr/share/man" SYSTEMD_LOG_LEVEL=notice \
    systemd-analyze verify --user "$D/verify-user/improv.service" 2>&1) || fail "systemd-analyze verify --user: $msg"
[ -z "$msg" ] || fail "systemd-analyze verify --user complained: $msg"
ok "systemd-analyze verify passes on both units"
xargs rm -f <"$lent"; rm -f "$lent"
score=$(systemd-analyze security --offline=true --root="$D" "/usr/lib/systemd/system/improv.service" 2>&1 \
    | sed -n 's/.*Overall exposure level for improv.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || fail "systemd-analyze security gave no score"
awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }' || fail "systemd-analyze security scores the system unit $score (want 2.5 or lower)"
ok "systemd-analyze security: exposure $score (2.5 or lower wanted)"

# Uninstall removes what install put in, and keeps the admin's configuration.
echo "IMPROV_PRESET=blues-backing" >>"$D/etc/improv/improv.conf"
make -s install DESTDIR="$D" PREFIX=/usr >"$D.log" 2>&1 || fail "a second make install failed"
grep -q "^IMPROV_PRESET=blues-backing" "$D/etc/improv/improv.conf" || fail "make install overwrote /etc/improv/improv.conf"
make -s uninstall DESTDIR="$D" PREFIX=/usr >"$D.log" 2>&1 || fail "make uninstall failed"
left=$(cd "$D" && find usr -type f | grep -v '^usr/share/improv/jam' || true)
[ -z "$left" ] || fail "make uninstall left: $left"
[ -s "$D/etc/improv/improv.conf" ] || fail "make uninstall removed /etc/improv/improv.conf"
ok "reinstall keeps /etc/improv/improv.conf; uninstall removes the rest and keeps it"
rm -f "$D.log"
echo "test-install: $pass passed"
