// Package sstest prepares a gnome-keyring secret service for tests.
//
// Creating a secret-service collection normally shows a GUI prompt for
// its password, which fails on a headless machine ("Object does not exist
// at path /"). gnome-keyring offers a non-standard method that takes the
// password directly; tests use it to create the collection the cosmos-sdk
// and akw write to (named after the app, e.g. "akash"), so the os backend
// is exercised exactly as on a desktop where the user answered the prompt.
package sstest

import (
	"fmt"
	"os"
	"strings"

	"github.com/godbus/dbus"
)

const (
	dest        = "org.freedesktop.secrets"
	servicePath = dbus.ObjectPath("/org/freedesktop/secrets")
	collPrefix  = "/org/freedesktop/secrets/collection/"
)

// Available reports whether tests may use a real secret service: the CI
// wrapper (.ci/with-keyrings.sh) sets AKW_TEST_SECRET_SERVICE=1 after
// starting and unlocking gnome-keyring on a private session bus, with its
// files in a scratch directory (AKW_KEYRING_SCRATCH). Tests create and
// delete collections, so they never run against a desktop's own daemon.
func Available() bool {
	return os.Getenv("AKW_TEST_SECRET_SERVICE") == "1" && os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" &&
		os.Getenv("AKW_KEYRING_SCRATCH") != ""
}

type secret struct {
	Session     dbus.ObjectPath
	Params      []byte
	Value       []byte
	ContentType string
}

// EnsureCollection creates the collection labelled name, unlocked with
// password, unless one with that path exists. name should be
// alphanumeric: gnome-keyring derives the object path from the label.
func EnsureCollection(name, password string) error {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return err
	}
	if err := conn.Hello(); err != nil {
		return err
	}
	svc := conn.Object(dest, servicePath)
	v, err := svc.GetProperty("org.freedesktop.Secret.Service.Collections")
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	paths, _ := v.Value().([]dbus.ObjectPath)
	for _, p := range paths {
		if string(p) == collPrefix+name {
			return nil
		}
	}
	var out dbus.Variant
	var session dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
		return fmt.Errorf("open session: %w", err)
	}
	props := map[string]dbus.Variant{"org.freedesktop.Secret.Collection.Label": dbus.MakeVariant(name)}
	master := secret{Session: session, Params: []byte{}, Value: []byte(password), ContentType: "text/plain"}
	var created dbus.ObjectPath
	err = svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.CreateWithMasterPassword", 0, props, master).Store(&created)
	if err != nil {
		return fmt.Errorf("create collection %q: %w", name, err)
	}
	if !strings.HasSuffix(string(created), "/"+name) {
		return fmt.Errorf("collection %q was created at %s", name, created)
	}
	return nil
}

// DeleteCollection removes the collection labelled name, if present.
func DeleteCollection(name string) error {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return err
	}
	if err := conn.Hello(); err != nil {
		return err
	}
	var prompt dbus.ObjectPath
	err = conn.Object(dest, dbus.ObjectPath(collPrefix+name)).Call("org.freedesktop.Secret.Collection.Delete", 0).Store(&prompt)
	if err != nil && (strings.Contains(err.Error(), "No such object") || strings.Contains(err.Error(), "does not exist")) {
		return nil
	}
	return err
}

// LockCollection locks the collection labelled name, as a screen lock or
// `secret-tool lock` would: reading from it then needs an unlock prompt.
func LockCollection(name string) error {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		return err
	}
	if err := conn.Hello(); err != nil {
		return err
	}
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	return conn.Object(dest, servicePath).Call("org.freedesktop.Secret.Service.Lock", 0,
		[]dbus.ObjectPath{dbus.ObjectPath(collPrefix + name)}).Store(&locked, &prompt)
}
