package webhook

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

// An empty secret verifies nothing, even a signature made with it: config
// refuses one today, Verify must not depend on that.
func TestVerifyRefusesEmptySecret(t *testing.T) {
	body := []byte(`{"id":13}`)
	for _, secret := range [][]byte{nil, {}} {
		if Verify(body, Sign(body, secret), secret) {
			t.Fatalf("Verify accepted a signature under the empty secret %q", secret)
		}
		if mac, ok := VerifyMAC(body, Sign(body, secret), secret); ok || mac != "" {
			t.Fatalf("VerifyMAC accepted the empty secret %q: %q", secret, mac)
		}
	}
	if !Verify(body, Sign(body, []byte("s")), []byte("s")) {
		t.Fatal("a good signature under a real secret must verify")
	}
}

// The signature comparison takes the same time however many bytes match:
// VerifyMAC compares with hmac.Equal or subtle.ConstantTimeCompare, never
// with bytes.Equal, bytes.Compare or == on strings. Timing cannot be tested
// reliably, so the source is.
func TestVerifyComparesInConstantTime(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "webhook.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var fn *ast.FuncDecl
	for _, d := range f.Decls {
		if d, ok := d.(*ast.FuncDecl); ok && d.Name.Name == "VerifyMAC" {
			fn = d
		}
	}
	if fn == nil {
		t.Fatal("VerifyMAC not found in webhook.go")
	}
	constantTime := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, _ := sel.X.(*ast.Ident)
			if pkg == nil {
				return true
			}
			switch pkg.Name + "." + sel.Sel.Name {
			case "hmac.Equal", "subtle.ConstantTimeCompare":
				constantTime = true
			case "bytes.Equal", "bytes.Compare", "strings.Compare", "strings.EqualFold", "reflect.DeepEqual":
				t.Errorf("%s: VerifyMAC compares with %s.%s, which returns at the first differing byte", fset.Position(n.Pos()), pkg.Name, sel.Sel.Name)
			}
		case *ast.BinaryExpr:
			if n.Op == token.EQL || n.Op == token.NEQ {
				for _, side := range []ast.Expr{n.X, n.Y} {
					if isStringConversion(side) {
						t.Errorf("%s: VerifyMAC compares strings with %s", fset.Position(n.Pos()), n.Op)
					}
				}
			}
		}
		return true
	})
	if !constantTime {
		t.Error("VerifyMAC does not call hmac.Equal or subtle.ConstantTimeCompare")
	}
}

func isStringConversion(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	id, ok := call.Fun.(*ast.Ident)
	return ok && id.Name == "string"
}
