package woosim

import (
	"bytes"
	"embed"
	"net/http"
	"strings"
)

//go:embed assets/*.json
var assets embed.FS

// asset loads a trimmed capture (see scripts/woo-sim-trim-index.py) for the
// simulated version, with the store's home URL filled in.
func (s *Sim) asset(name string, rb restBase) rawJSON {
	version := "6.9.0"
	if s.modern() {
		version = "10.0.2"
	}
	file := strings.ReplaceAll(name, "{v}", version)
	data, err := assets.ReadFile("assets/" + file)
	if err != nil {
		panic("woosim: missing asset " + file)
	}
	home := []byte(strings.ReplaceAll(rb.home, "/", `\/`))
	if rb.plain {
		data = bytes.ReplaceAll(data, []byte(`{{HOME}}\/wp-json`), []byte(`{{HOME}}\/index.php?rest_route=`))
	}
	data = bytes.ReplaceAll(data, []byte("{{HOME}}"), home)
	data = bytes.ReplaceAll(data, []byte("{{WCVERSION}}"), []byte(s.opts.WCVersion))
	return rawJSON(data)
}

func (s *Sim) pluginSuffix() string {
	if s.opts.NoPlugin {
		return ""
	}
	return "-plugin"
}

func (s *Sim) serveIndex(req *request) reply {
	return withAllow(reply{body: s.asset("wp-json-index-{v}"+s.pluginSuffix()+".json", req.rb)}, allowRead)
}

func (s *Sim) serveNamespace(req *request) reply {
	return withAllow(reply{body: s.asset("wc-v3-index-{v}"+s.pluginSuffix()+".json", req.rb)}, allowRead)
}

func (s *Sim) serveSystemStatus(req *request) reply {
	if len(req.parts) != 1 || req.method != http.MethodGet {
		return errReply(errNoRoute())
	}
	if !req.authed {
		return errCannotList()
	}
	return withAllow(reply{body: s.asset("system-status-{v}.json", req.rb)}, allowRead)
}
