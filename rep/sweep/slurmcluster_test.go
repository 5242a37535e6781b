package sweep_test

import (
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// requireSlurm skips the test when the Slurm and MUNGE binaries are
// missing (or we are not root, needed to run munged as user munge and the
// daemons as SlurmUser=root), unless REPGEOM_REQUIRE_SLURM=1, which makes
// that a failure (CI runs docker/setup-slurm.sh first).
func requireSlurm(t *testing.T) {
	t.Helper()
	var missing []string
	for _, b := range []string{"munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo"} {
		if _, err := exec.LookPath(b); err != nil {
			if _, err := exec.LookPath("/usr/sbin/" + b); err != nil {
				missing = append(missing, b)
			}
		}
	}
	why := ""
	if len(missing) > 0 {
		why = "missing " + strings.Join(missing, ", ") + " (run docker/setup-slurm.sh)"
	} else if os.Geteuid() != 0 {
		why = "the test cluster runs its daemons as root and munged as user munge: run as root"
	} else if _, err := user.Lookup("munge"); err != nil {
		why = "no user munge (run docker/setup-slurm.sh)"
	}
	if why == "" {
		return
	}
	if os.Getenv("REPGEOM_REQUIRE_SLURM") == "1" {
		t.Fatalf("REPGEOM_REQUIRE_SLURM=1 but %s", why)
	}
	t.Skip(why)
}

func sbin(name string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	return "/usr/sbin/" + name
}

// freePort returns a TCP port free on 127.0.0.1 right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// daemon is one process the test cluster started.
type daemon struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

// startCluster starts a private single-node Slurm cluster on localhost:
// munged (as user munge, its socket in the cluster's directory), slurmctld
// and slurmd, in the foreground of background processes, with every
// state, spool, log and pid file under a temp dir and free ports, so it
// touches nothing of the machine's and can run beside another cluster.
// Settings per /work/shared/FACTS.md. It sets SLURM_CONF for the clients
// and, at cleanup, stops exactly the processes it started (by their PIDs).
func startCluster(t *testing.T) {
	t.Helper()
	dir, err := os.MkdirTemp("", "repgeom-slurm-")
	if err != nil {
		t.Fatal(err)
	}
	// munged runs as munge: the path to its socket must be searchable.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var daemons []*daemon
	t.Cleanup(func() {
		// Stop in reverse order: slurmd, slurmctld, munged.
		for k := len(daemons) - 1; k >= 0; k-- {
			d := daemons[k]
			d.cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-d.done:
			case <-time.After(15 * time.Second):
				t.Logf("%s (pid %d) ignored SIGTERM: killing it", d.name, d.cmd.Process.Pid)
				d.cmd.Process.Kill()
				<-d.done
			}
		}
		if t.Failed() {
			for _, log := range []string{"slurmctld.log", "slurmd.log", "munge/munged.log"} {
				if b, err := os.ReadFile(filepath.Join(dir, log)); err == nil {
					t.Logf("%s:\n%s", log, tailString(string(b), 3000))
				}
			}
		}
		os.RemoveAll(dir)
	})
	start := func(name string, cred *syscall.Credential, args ...string) {
		cmd := exec.Command(sbin(name), args...)
		logf, err := os.Create(filepath.Join(dir, name+".out"))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = logf, logf
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Setpgid: true}
		if err := cmd.Start(); err != nil {
			logf.Close()
			t.Fatalf("starting %s: %v", name, err)
		}
		d := &daemon{name: name, cmd: cmd, done: make(chan struct{})}
		go func() { cmd.Wait(); logf.Close(); close(d.done) }()
		daemons = append(daemons, d)
	}

	// MUNGE: a fresh key, the daemon as user munge.
	mu, err := user.Lookup("munge")
	if err != nil {
		t.Fatal(err)
	}
	uid, _ := strconv.Atoi(mu.Uid)
	gid, _ := strconv.Atoi(mu.Gid)
	mdir := filepath.Join(dir, "munge")
	key := make([]byte, 1024)
	rand.Read(key)
	if err := os.Mkdir(mdir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mdir, "munge.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{mdir, filepath.Join(mdir, "munge.key")} {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Fatal(err)
		}
	}
	// /run/munge, where munged keeps its files by default, exists for
	// other MUNGE clients; this cluster's files are all in mdir.
	if err := os.MkdirAll("/run/munge", 0o755); err == nil {
		os.Chown("/run/munge", uid, gid)
	}
	socket := filepath.Join(mdir, "munge.socket")
	start("munged", &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, "-F",
		"--socket="+socket, "--key-file="+filepath.Join(mdir, "munge.key"),
		"--pid-file="+filepath.Join(mdir, "munged.pid"), "--log-file="+filepath.Join(mdir, "munged.log"),
		"--seed-file="+filepath.Join(mdir, "munged.seed"))
	waitFor(t, 10*time.Second, "munged socket", func() bool { _, err := os.Stat(socket); return err == nil })

	host, err := exec.Command("hostname", "-s").Output()
	if err != nil {
		t.Fatal(err)
	}
	node := strings.TrimSpace(string(host))
	for _, d := range []string{"state", "spool"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	conf := fmt.Sprintf(`ClusterName=repgeomtest
SlurmctldHost=%[1]s(127.0.0.1)
SlurmctldPort=%[3]d
SlurmdPort=%[4]d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=%[5]s
StateSaveLocation=%[2]s/state
SlurmdSpoolDir=%[2]s/spool
SlurmctldPidFile=%[2]s/slurmctld.pid
SlurmdPidFile=%[2]s/slurmd.pid
SlurmctldLogFile=%[2]s/slurmctld.log
SlurmdLogFile=%[2]s/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MailProg=/bin/true
MpiDefault=none
ReturnToService=2
NodeName=%[1]s NodeAddr=127.0.0.1 CPUs=%[6]d State=UNKNOWN
PartitionName=debug Nodes=%[1]s Default=YES MaxTime=INFINITE State=UP
`, node, dir, freePort(t), freePort(t), socket, runtime.NumCPU())
	confPath := filepath.Join(dir, "slurm.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cgroup.conf"), []byte("CgroupPlugin=autodetect\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SLURM_CONF", confPath)
	start("slurmctld", nil, "-D", "-f", confPath)
	start("slurmd", nil, "-D", "-N", node, "-f", confPath)
	waitFor(t, 60*time.Second, "an idle node", func() bool {
		out, err := exec.Command("sinfo", "-h", "-o", "%T").Output()
		return err == nil && strings.TrimSpace(string(out)) == "idle"
	})
}

// waitFor polls cond every 100 ms until it holds, failing after d.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after %v", what, d)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tailString(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
