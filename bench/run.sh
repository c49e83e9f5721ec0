#!/usr/bin/env bash
# The performance benchmark: generates handbooks of two shapes ($SHAPES, default both): `items`,
# N items of every kind linked by id (N = 1,000, 4,800 and 10,000, or $SIZES; 4,800 items make
# about 10,000 pages, the size the memory target names), and `plain`, N plain pages in 10 folders
# linked by relative `.md` paths, as users' handbooks are. It reports for each: full build wall
# time, CPU use (CPU seconds / wall seconds), pages per second, peak memory, a rebuild of an unchanged site,
# `check` time, the one-page rebuild in serve, and, when Hugo is installed, the same corpus built
# by Hugo and the policybook/Hugo ratio per page; per shape, the growth of the build time from
# the smallest size to the largest (linear is 10 for 1,000 → 10,000). Finally the in-process bench
# (`cargo bench --bench pipeline`), which times the redline of two 20,000-word versions.
#
# Sites are written under $TMPDIR (default /tmp), whose filesystem is printed: creating thousands
# of files right after deleting thousands is slow on ext4 (it skips recently freed inodes), and
# both tools pay it. TMPDIR=/dev/shm measures the work without the disk.
#
# Usage: bench/run.sh            (needs hyperfine, GNU time at /usr/bin/time, python3; hugo optional)
#        SIZES="1000" RUNS=3 bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 4800 10000"}
SHAPES=${SHAPES:-"items plain"}
RUNS=${RUNS:-5}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/policybook-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet --bins
PB=$PWD/target/release/policybook
GEN=$PWD/target/release/gen-corpus

echo "machine: $(nproc) cores, $(uname -sr), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "policybook $(git rev-parse --short HEAD 2>/dev/null || echo '?'); $(hyperfine --version)"
echo "sites written to $WORK ($(df -T "$WORK" | awk 'NR == 2 {print $2}'))"
if command -v hugo >/dev/null; then echo "$(hugo version | cut -d' ' -f1-2)"; fi
echo

# Median wall time in seconds of a hyperfine run: median_of <json>.
median_of() { python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"; }
# CPU seconds per wall second of one run of a command (2.0 is both cores of two busy).
cpu_use() { /usr/bin/time -f '%e %U %S' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.2f", ($2 + $3) / $1}'; }
# Peak resident memory in MB of one run of a command.
peak_mb() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }
html_count() { find "$1" -name '*.html' | wc -l; }

# Writes a Hugo site for the corpus at $1 into $2: the same Markdown with its front matter, a
# minimal layout that renders the content with Hugo's built-in (Chroma) highlighting.
hugo_site() {
    local corpus=$1 site=$2
    mkdir -p "$site/layouts/_default" "$site/content"
    (cd "$corpus/content" && find . -name '*.md' -not -path '*.versions/*' -print0 |
        xargs -0 cp --parents -t "$site/content")
    mv "$site/content/index.md" "$site/content/_index.md"
    cat > "$site/hugo.toml" <<'TOML'
baseURL = "https://handbook.example.com/"
title = "Generated Handbook"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.highlight]
noClasses = false
codeFences = true
[markup.goldmark.renderer]
unsafe = false
TOML
    cat > "$site/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
    cat > "$site/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}
HTML
    cat > "$site/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML
}

# The median time from saving a policy to the reload event in `policybook serve`, on this corpus.
serve_reload() {
    local corpus=$1
    cargo bench --quiet --bench serve -- "$corpus" 2>/dev/null | sed 's/^/  serve /'
}

for shape in $SHAPES; do
first_size= first_build=
for n in $SIZES; do
    corpus=$WORK/corpus-$n site=$WORK/site-$n
    "$GEN" --shape "$shape" --items "$n" "$corpus" 2>/dev/null
    runs=$RUNS; [ "$n" -ge 10000 ] && runs=$(( RUNS < 3 ? RUNS : 3 ))
    echo "== $shape, N = $n ($(find "$corpus/content" -name '*.md' | wc -l) Markdown files, $(du -sh "$corpus/content" | cut -f1))"

    hyperfine --style none --warmup 1 --runs "$runs" --prepare "rm -rf $site" \
        --export-json "$WORK/build-$n.json" "$PB build --root $corpus --dest $site" >/dev/null
    build=$(median_of "$WORK/build-$n.json")
    "$PB" build --root "$corpus" --dest "$site" 2>/dev/null
    pages=$(html_count "$site")
    hyperfine --style none --warmup 1 --runs "$runs" \
        --export-json "$WORK/rebuild-$n.json" "$PB build --root $corpus --dest $site" >/dev/null
    rebuild=$(median_of "$WORK/rebuild-$n.json")
    rss=$(peak_mb "$PB" build --root "$corpus" --dest "$site")
    rm -rf "$site"
    cpu=$(cpu_use "$PB" build --root "$corpus" --dest "$site")
    hyperfine --style none --warmup 1 --runs "$RUNS" \
        --export-json "$WORK/check-$n.json" "$PB check --root $corpus --today 2026-11-24" >/dev/null
    check=$(median_of "$WORK/check-$n.json")
    pages_dir=$site/guide; [ "$shape" = plain ] && pages_dir=$site/part-0
    page=$(find "$pages_dir" -name '*.html' -printf '%s\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

    printf '  full build:      %8.3f s  %6d pages  %7.0f pages/s  peak %s MB  CPU use %s of %s cores\n' \
        "$build" "$pages" "$(echo "$pages / $build" | bc -l)" "$rss" "$cpu" "$(nproc)"
    if [ -z "$first_size" ]; then
        first_size=$n first_build=$build
    else
        printf '  growth from %d: %.1f times the build time for %.1f times the size\n' \
            "$first_size" "$(echo "$build / $first_build" | bc -l)" "$(echo "$n / $first_size" | bc -l)"
    fi
    printf '  unchanged build: %8.3f s  (files linked from the previous site)\n' "$rebuild"
    printf '  check:           %8.3f s\n' "$check"
    printf '  median page: %s bytes\n' "$page"
    serve_reload "$corpus"

    if command -v hugo >/dev/null; then
        hsite=$WORK/hugo-$n
        hugo_site "$corpus" "$hsite"
        hyperfine --style none --warmup 1 --runs "$runs" --prepare "rm -rf $hsite/public" \
            --export-json "$WORK/hugo-$n.json" "hugo --quiet -s $hsite -d $hsite/public" >/dev/null
        hugo_time=$(median_of "$WORK/hugo-$n.json")
        hugo --quiet -s "$hsite" -d "$hsite/public"
        hugo_pages=$(html_count "$hsite/public")
        hugo_rss=$(peak_mb hugo --quiet -s "$hsite" -d "$hsite/public")
        printf '  hugo build:      %8.3f s  %6d pages  %7.0f pages/s  peak %s MB\n' \
            "$hugo_time" "$hugo_pages" "$(echo "$hugo_pages / $hugo_time" | bc -l)" "$hugo_rss"
        printf '  policybook/Hugo time per page: %.2f   (whole build: %.2f)\n' \
            "$(echo "($build / $pages) / ($hugo_time / $hugo_pages)" | bc -l)" \
            "$(echo "$build / $hugo_time" | bc -l)"
    else
        echo "  hugo: not installed (apt-get install hugo), no ratio"
    fi
    rm -rf "$corpus" "$site" "${hsite:-}"
    echo
done
done

echo "== in-process (cargo bench --bench pipeline)"
cargo bench --quiet --bench pipeline -- --items 1000 2>/dev/null | grep -v '^gen-corpus'
