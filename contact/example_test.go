package contact_test

import (
	"fmt"

	"github.com/embedid/identity/contact"
	"github.com/embedid/identity/internal/errs"
)

func ExampleParsePhone() {
	p, err := contact.ParsePhone("+86 152 0413 0007", "CN", "mobile", contact.Valid)
	fmt.Println(p, p.Dashed(), p.Parts(), p.Region(), err)

	_, err = contact.ParsePhone("1-800-FLOWERS", "US", "mobile", contact.Valid)
	fmt.Println(errs.MessageOf(err))
	// Output:
	// +8615204130007 +86-15204130007 [86 15204130007] CN <nil>
	// mobile: must not contain letters; write the number in digits
}

func ExampleParseEmail() {
	e, err := contact.ParseEmail(" Alice@Example.com ", "email")
	fmt.Printf("%q %q %v\n", e.Display, e.Normalized, err)

	_, err = contact.ParseEmail("Alice <alice@example.com>", "email")
	fmt.Println(errs.MessageOf(err))
	// Output:
	// "Alice@Example.com" "alice@example.com" <nil>
	// email: must be the address alone, such as name@example.com, without a name or <>
}
