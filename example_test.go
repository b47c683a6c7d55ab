package identity_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/embedid/identity"
	"github.com/embedid/identity/httpapi"
	"github.com/embedid/identity/storage"
	"github.com/embedid/identity/team"
	"github.com/embedid/identity/user"
)

// A host opens a store, builds the service with a notifier that delivers
// codes, calls its use cases, and may serve the HTTP API families. The body
// of this example is the README's "Embed it".
func Example() {
	ctx := context.Background()
	store, err := storage.Open(ctx, "sqlite:app.db", storage.WithMigrate())
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	notify := identity.NotifierFunc(func(ctx context.Context, n identity.Notification) error {
		return nil // deliver n.Code to n.To by email or SMS
	})
	svc, err := identity.New(store, identity.WithNotifier(notify))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.CreateTeam(ctx, team.Profile{Name: "Acme"}, ""); err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	httpapi.Mount(mux, svc, httpapi.Options{Prefix: "/identity"})
	log.Fatal(http.ListenAndServe("127.0.0.1:8080", mux))
}

func ExampleNew() {
	ctx := context.Background()
	store, err := storage.Open(ctx, "sqlite::memory:", storage.WithMigrate())
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	notify := identity.NotifierFunc(func(ctx context.Context, n identity.Notification) error {
		return nil // deliver n.Code to n.To by email or SMS
	})
	svc, err := identity.New(store, identity.WithNotifier(notify), identity.WithBcryptCost(4))
	if err != nil {
		log.Fatal(err)
	}
	t, err := svc.CreateTeam(ctx, team.Profile{Name: "Acme", Region: "cn"}, "ops@acme.example")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Name, t.Region, t.Status == team.StatusActive)
	// Output: Acme CN true
}

func ExampleService_SignUp() {
	ctx := context.Background()
	store, err := storage.Open(ctx, "sqlite::memory:", storage.WithMigrate())
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	var code string // what the notifier would send by email
	notify := identity.NotifierFunc(func(_ context.Context, n identity.Notification) error {
		code = n.Code
		return nil
	})
	svc, err := identity.New(store, identity.WithNotifier(notify), identity.WithBcryptCost(4))
	if err != nil {
		log.Fatal(err)
	}

	const email, password = "ada@example.com", "difference-engine"
	signed, err := svc.SignUp(ctx, identity.SignUp{
		FirstName: "Ada", LastName: "Lovelace", Email: email, BusinessName: "Analytical Engines",
		Phone: "+44 20 7946 0000", Password: password,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("after sign-up, team status:", signed.Team.Status)

	_, err = svc.Login(ctx, identity.Login{Email: email, Password: password, TeamID: signed.Team.ID})
	fmt.Println("log in before activation:", identity.ErrorCode(err))

	if err := svc.Activate(ctx, code, ""); err != nil {
		log.Fatal(err)
	}
	session, err := svc.Login(ctx, identity.Login{Email: email, Password: password, TeamID: signed.Team.ID})
	if err != nil {
		log.Fatal(err)
	}
	actor, err := svc.Authenticate(ctx, session.Token)
	if err != nil {
		log.Fatal(err)
	}
	info, err := svc.Team(ctx, actor, signed.Team.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("logged in as", actor.Role)
	fmt.Println("after activation, team status:", info.Team.Status)
	// Output:
	// after sign-up, team status: 1
	// log in before activation: forbidden
	// logged in as admin
	// after activation, team status: 2
}

// openExample returns a service on a new in-memory store holding the team
// Acme, and a function that closes the store.
func openExample() (*identity.Service, team.Team, func()) {
	ctx := context.Background()
	store, err := storage.Open(ctx, "sqlite::memory:", storage.WithMigrate())
	if err != nil {
		log.Fatal(err)
	}
	svc, err := identity.New(store, identity.WithBcryptCost(4))
	if err != nil {
		log.Fatal(err)
	}
	t, err := svc.CreateTeam(ctx, team.Profile{Name: "Acme"}, "")
	if err != nil {
		log.Fatal(err)
	}
	return svc, t, func() { store.Close() }
}

func ExampleService_CreateMember() {
	ctx := context.Background()
	svc, acme, closeStore := openExample()
	defer closeStore()
	// An operator acts for the host; a member would act through Authenticate.
	m, err := svc.CreateMember(ctx, identity.Operator(acme.ID), identity.NewMember{
		Names:    user.Names{First: "Grace", Last: "Hopper"},
		Email:    "Grace@Acme.example",
		Password: "cobol-1959",
		Role:     int(team.RoleManager),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.User.Email.Display, m.Membership.Role, m.Membership.Status == team.MemberActive)
	// Output: Grace@Acme.example manager true
}

func ExampleService_ChangePassword() {
	ctx := context.Background()
	svc, acme, closeStore := openExample()
	defer closeStore()
	const email = "grace@acme.example"
	_, err := svc.CreateMember(ctx, identity.Operator(acme.ID), identity.NewMember{
		Names: user.Names{First: "Grace", Last: "Hopper"}, Email: email, Password: "cobol-1959", Role: int(team.RoleMember),
	})
	if err != nil {
		log.Fatal(err)
	}
	session, err := svc.Login(ctx, identity.Login{Email: email, Password: "cobol-1959", TeamID: acme.ID})
	if err != nil {
		log.Fatal(err)
	}
	actor, err := svc.Authenticate(ctx, session.Token)
	if err != nil {
		log.Fatal(err)
	}

	_, err = svc.ChangePassword(ctx, actor, "not-my-password", "flow-matic-1955")
	fmt.Println(identity.ErrorMessage(err))
	_, err = svc.ChangePassword(ctx, actor, "cobol-1959", "flow-matic-1955")
	fmt.Println(err)
	// Output:
	// old_password: does not match your current password
	// <nil>
}

// A form that asks for the password twice checks the confirmation itself,
// after Validate and before the use case, as the HTTP API does.
func ExampleSignUp_Validate() {
	in := identity.SignUp{
		FirstName: "Ada", LastName: "Lovelace", Email: "ada.example.com", BusinessName: "Analytical Engines",
		Phone: "+44 20 7946 0000", Password: "difference-engine",
	}
	fmt.Println(identity.ErrorMessage(in.Validate()))
	// Output: email: must contain exactly one @
}

func ExampleNewMember_Validate() {
	in := identity.NewMember{Names: user.Names{First: "Grace", Last: "Hopper"}, Email: "grace@acme.example", Role: int(team.RoleManager)}
	fmt.Println(identity.ErrorMessage(in.Validate(team.RoleManager)))
	fmt.Println(in.Validate(team.RoleAdmin))
	// Output:
	// role: a manager may create members only
	// <nil>
}
