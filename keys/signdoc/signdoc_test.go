package signdoc

import (
	"errors"
	"strings"
	"testing"
)

const sendDoc = `{"account_number":"7","chain_id":"akash-devnet-1","fee":{"amount":[{"amount":"5000","denom":"uakt"}],"gas":"200000"},"memo":"hello","msgs":[{"type":"cosmos-sdk/MsgSend","value":{"amount":[{"amount":"1000000","denom":"uakt"}],"from_address":"akash1from","to_address":"akash1to"}}],"sequence":"3"}`

func reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	if err != nil {
		return "non-signdoc error: " + err.Error()
	}
	return ""
}

func TestValidateAccepts(t *testing.T) {
	d, err := Validate([]byte(sendDoc), Options{})
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if d.ChainID != "akash-devnet-1" {
		t.Errorf("ChainID = %q", d.ChainID)
	}
	want := []Item{
		{"chain_id", "Chain ID", "akash-devnet-1"},
		{"account_number", "Account", "7"},
		{"sequence", "Sequence", "3"},
		{"fee/amount", "Fee", `[{"amount":"5000","denom":"uakt"}]`},
		{"fee/gas", "Gas", "200000"},
		{"memo", "Memo", "hello"},
		{"msgs/type", "Type", "Send"},
		{"msgs/value/amount", "Amount", `[{"amount":"1000000","denom":"uakt"}]`},
		{"msgs/value/from_address", "From", "akash1from"},
		{"msgs/value/to_address", "To", "akash1to"},
	}
	if len(d.Items) != len(want) {
		t.Fatalf("items = %+v", d.Items)
	}
	for i := range want {
		if d.Items[i] != want[i] {
			t.Errorf("item %d = %+v, want %+v", i, d.Items[i], want[i])
		}
	}
	if err := CheckCanonical([]byte(sendDoc)); err != nil {
		t.Errorf("CheckCanonical: %v", err)
	}
}

func TestValidateDefaultChainHidesFields(t *testing.T) {
	doc := strings.Replace(sendDoc, "akash-devnet-1", DefaultChainID, 1)
	d, err := Validate([]byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Items[0].Key != "Fee" || d.Items[1].Key != "Memo" {
		t.Errorf("default chain should start with Fee then Memo, got %+v", d.Items[:2])
	}
	d, err = Validate([]byte(doc), Options{Expert: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.Items[0].Key != "Chain ID" {
		t.Errorf("expert mode shows everything, got %+v", d.Items[0])
	}
}

func TestValidateEmptyMemoNotShown(t *testing.T) {
	doc := strings.Replace(sendDoc, `"memo":"hello"`, `"memo":""`, 1)
	d, err := Validate([]byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range d.Items {
		if it.Key == "Memo" {
			t.Errorf("empty memo shown")
		}
	}
}

func TestValidateRejects(t *testing.T) {
	cases := []struct {
		name, doc, reason string
	}{
		{"empty", ``, ReasonNoData},
		{"nul", "{\"a\":\"\x00\"}", ReasonUnexpectedCharacters},
		{"truncated", `{"account_number":"7"`, ReasonIncomplete},
		{"truncated string", `{"account_number":"7`, ReasonIncomplete},
		{"garbage", `{"a":tru}`, ReasonUnexpectedCharacters},
		{"bad escape", `{"a":"\q"}`, ReasonUnexpectedCharacters},
		{"trailing bytes", sendDoc + ` `, ReasonUnexpectedCharacters},
		{"two roots", sendDoc + `{}`, ReasonUnexpectedCharacters},
		{"whitespace", strings.Replace(sendDoc, `"memo":"hello"`, `"memo": "hello"`, 1), ReasonWhitespace},
		{"newline", strings.Replace(sendDoc, `,"sequence"`, ",\n\"sequence\"", 1), ReasonWhitespace},
		{"unsorted root", strings.Replace(sendDoc, `{"account_number":"7","chain_id":"akash-devnet-1",`, `{"chain_id":"akash-devnet-1","account_number":"7",`, 1), ReasonNotSorted},
		{"unsorted nested", strings.Replace(sendDoc, `{"amount":"5000","denom":"uakt"}`, `{"denom":"uakt","amount":"5000"}`, 1), ReasonNotSorted},
		{"duplicate", strings.Replace(sendDoc, `"from_address":"akash1from"`, `"from_address":"akash1from","from_address":"x"`, 1), ReasonDuplicate},
		{"missing chain_id", strings.Replace(sendDoc, `"chain_id":"akash-devnet-1",`, ``, 1), ReasonMissingChainID},
		{"missing sequence", strings.Replace(sendDoc, `,"sequence":"3"`, ``, 1), ReasonMissingSequence},
		{"missing fee", strings.Replace(sendDoc, `"fee":{"amount":[{"amount":"5000","denom":"uakt"}],"gas":"200000"},`, ``, 1), ReasonMissingFee},
		{"missing msgs", `{"account_number":"7","chain_id":"c","fee":{},"memo":"","sequence":"3"}`, ReasonMissingMsgs},
		{"missing account", strings.Replace(sendDoc, `"account_number":"7",`, ``, 1), ReasonMissingAccountNumber},
		{"missing memo", strings.Replace(sendDoc, `"memo":"hello",`, ``, 1), ReasonMissingMemo},
		{"array root", `[]`, ReasonMissingChainID},
		{"chain 0", strings.Replace(sendDoc, `"akash-devnet-1"`, `"0"`, 1), ReasonUnexpectedChain},
		{"chain 1", strings.Replace(sendDoc, `"akash-devnet-1"`, `"1"`, 1), ReasonUnexpectedChain},
		{"long key", `{"` + strings.Repeat("a", 256) + `":"1","b":"2"}`, ReasonNotSorted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Validate([]byte(tc.doc), Options{})
			if got := reason(err); got != tc.reason {
				t.Errorf("reason = %q, want %q", got, tc.reason)
			}
		})
	}
}

// manyMsgs builds a valid document with n tokens or more.
func docWithTokens(msgs int) string {
	var b strings.Builder
	b.WriteString(`{"account_number":"7","chain_id":"c-1","fee":{"amount":[],"gas":"1"},"memo":"","msgs":[`)
	for i := 0; i < msgs; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		// 1 object + 2 keys + 2 values = 5 tokens each
		b.WriteString(`{"type":"t","value":"v"}`)
	}
	b.WriteString(`],"sequence":"1"}`)
	return b.String()
}

func TestTokenLimits(t *testing.T) {
	// Root object 1 + account 2 + chain 2 + fee(key, obj, amount key, arr,
	// gas key, val) 6 + memo 2 + msgs key+arr 2 + sequence 2 = 17.
	const base = 17
	fits768 := (MaxTokens - base) / 5
	if _, err := Validate([]byte(docWithTokens(fits768)), Options{}); err != nil {
		t.Fatalf("document with %d tokens refused: %v", base+5*fits768, err)
	}
	if got := reason(func() error { _, err := Validate([]byte(docWithTokens(fits768+1)), Options{}); return err }()); got != ReasonTooManyTokens {
		t.Errorf("over 768 tokens: reason %q", got)
	}
	// Stax and Flex stop at 600.
	if got := reason(func() error {
		_, err := Validate([]byte(docWithTokens(fits768)), Options{MaxTokens: MaxTokensLargeUI})
		return err
	}()); got != ReasonTooManyTokens {
		t.Errorf("over 600 tokens on large-UI model: reason %q", got)
	}
}

func TestCheckCanonicalStricter(t *testing.T) {
	// Numbers where amino JSON writes strings.
	doc := strings.Replace(sendDoc, `"sequence":"3"`, `"sequence":3`, 1)
	if _, err := Validate([]byte(doc), Options{}); err != nil {
		t.Fatalf("the app itself accepts numbers: %v", err)
	}
	if err := CheckCanonical([]byte(doc)); err == nil {
		t.Error("CheckCanonical accepted a numeric sequence")
	}
	if err := CheckCanonical([]byte(strings.Replace(sendDoc, `"memo":"hello"`, `"memo": "hello"`, 1))); reason(err) != ReasonWhitespace {
		t.Errorf("whitespace: %v", err)
	}
}

func TestMultiSendGoesDeeper(t *testing.T) {
	doc := `{"account_number":"1","chain_id":"c-1","fee":{"amount":[],"gas":"1"},"memo":"","msgs":[{"type":"cosmos-sdk/MsgMultiSend","value":{"inputs":[{"address":"a","coins":[{"amount":"1","denom":"u"}]}],"outputs":[{"address":"b","coins":[{"amount":"1","denom":"u"}]}]}}],"sequence":"1"}`
	d, err := Validate([]byte(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range d.Items {
		if it.Key == "Source Address" && it.Value == "a" {
			found = true
		}
	}
	if !found {
		t.Errorf("MultiSend inputs not itemised: %+v", d.Items)
	}
}

func TestTypeGrouping(t *testing.T) {
	two := func(t1, t2 string) string {
		return `{"account_number":"1","chain_id":"c-1","fee":{"amount":[],"gas":"1"},"memo":"","msgs":[{"type":"` + t1 + `","value":{"a":"1"}},{"type":"` + t2 + `","value":{"a":"2"}}],"sequence":"1"}`
	}
	count := func(doc string) int {
		d, err := Validate([]byte(doc), Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, it := range d.Items {
			if it.Key == "Type" {
				n++
			}
		}
		return n
	}
	if n := count(two("cosmos-sdk/MsgSend", "cosmos-sdk/MsgSend")); n != 1 {
		t.Errorf("same types shown %d times", n)
	}
	if n := count(two("cosmos-sdk/MsgSend", "cosmos-sdk/MsgVote")); n != 2 {
		t.Errorf("different types shown %d times", n)
	}
}
