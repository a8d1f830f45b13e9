package htmlexport_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agenttrace/agenttrace-go/processors/htmlexport"
)

// ScreenshotEnv names a variable that, when set, is the path where
// TestPageInChromium keeps its screenshot.
const screenshotEnv = "AGENTTRACE_HTML_SCREENSHOT"

var (
	chromiumOnce sync.Once
	chromiumPath string
	chromiumWhy  string
)

// chromium returns the path of a Chromium binary, installing Debian's
// chromium package when there is none and the test runs as root with
// apt-get; it skips t, saying why, only where that is impossible.
func chromium(t *testing.T) string {
	t.Helper()
	chromiumOnce.Do(func() {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				chromiumPath = p
				return
			}
		}
		apt, err := exec.LookPath("apt-get")
		if err != nil || os.Geteuid() != 0 {
			chromiumWhy = "no chromium on PATH, and it cannot be installed here (needs root and apt-get): apt-get install chromium"
			return
		}
		var log bytes.Buffer
		install := func() error {
			cmd := exec.Command(apt, "install", "-y", "-q", "chromium")
			cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
			cmd.Stdout, cmd.Stderr = &log, &log
			return cmd.Run()
		}
		if install() != nil { // the package lists may be missing or stale
			update := exec.Command(apt, "update", "-q")
			update.Stdout, update.Stderr = &log, &log
			_ = update.Run()
			if err := install(); err != nil {
				chromiumWhy = "apt-get install chromium failed: " + err.Error() + "\n" + log.String()
				return
			}
		}
		chromiumPath, err = exec.LookPath("chromium")
		if err != nil {
			chromiumWhy = "chromium installed but not on PATH"
		}
	})
	if chromiumPath == "" {
		t.Skip(chromiumWhy)
	}
	return chromiumPath
}

// runChromium runs headless Chromium with the flags this kind of machine
// needs (no sandbox as root, no GPU, no background network) and a fresh
// profile, and returns its standard output.
func runChromium(t *testing.T, args ...string) []byte {
	t.Helper()
	bin := chromium(t)
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "--user-data-dir=" + t.TempDir(), "--window-size=1280,900",
	}
	cmd := exec.CommandContext(ctx, bin, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.Bytes()
}

// TestPageInChromium opens a trace's page in headless Chromium: after its
// script ran, the DOM holds every span, the #all fragment opened them all,
// the HTML span name is text, and a screenshot of the page is not blank.
func TestPageInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	chromium(t)
	exp, err := htmlexport.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tr := record(t, exp)
	page := exp.Written()[0]
	url := "file://" + filepath.ToSlash(page) + "#all"

	dom := string(runChromium(t, "--dump-dom", url))
	if !strings.Contains(dom, `data-rendered="4"`) {
		t.Fatalf("the page's script did not run over 4 spans; DOM:\n%s", dom)
	}
	opened := regexp.MustCompile(`<details class="span[^"]*"[^>]*\bopen=""`).FindAllString(dom, -1)
	if len(opened) != 4 {
		t.Errorf("%d spans opened by #all, want 4", len(opened))
	}
	for _, want := range []string{
		"Support run", tr.ID(), "Triage agent", "gpt-4.1-mini", "lookup_order", "billing service timed out",
		"Where is order A1?", "&lt;script&gt;alert(1)&lt;/script&gt;",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	if strings.Contains(dom, "<script>alert(1)") {
		t.Error("the HTML span name became markup")
	}

	shot := filepath.Join(t.TempDir(), "page.png")
	if p := os.Getenv(screenshotEnv); p != "" {
		shot = p
	}
	runChromium(t, "--screenshot="+shot, "--hide-scrollbars", url)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 900 {
		t.Errorf("screenshot is %dx%d, want 1280x900", b.Dx(), b.Dy())
	}
	colors := map[uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colors[r>>12<<8|g>>12<<4|bl>>12] = true
		}
	}
	if len(colors) < 8 {
		t.Errorf("screenshot has %d colours: a blank page?", len(colors))
	}
	t.Logf("screenshot: %s", shot)
}
