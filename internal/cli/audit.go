package cli

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strings"
)

// whoAmI names the OS user and host for the audit trail.
func whoAmI() (string, string) {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown"
	}
	return name, host
}

// gitCommit is the commit of the repository holding the spec's first file,
// with "-dirty" when tracked files have uncommitted changes (untracked files
// such as an outbox do not count), or "" outside a repository.
func gitCommit(files []string) string {
	if len(files) == 0 || files[0] == "<stdin>" {
		return ""
	}
	dir := filepath.Dir(files[0])
	out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=no", "--", ".").Output(); err == nil && len(st) > 0 {
		commit += "-dirty"
	}
	return commit
}
