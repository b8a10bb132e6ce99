package devnet

import (
	"errors"
	"net"
	"strings"
	"syscall"
)

// freePorts returns n distinct TCP ports that were free on 127.0.0.1 a
// moment ago. CometBFT opens its RPC and P2P listeners itself, so another
// process may take a port in between; start retries with new ports when
// that happens (see isAddrInUse).
func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			_ = l.Close()
		}
	}()
	for range n {
		// Keeping every listener open until all are chosen makes the n
		// ports distinct.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// portPicker chooses ports; tests replace it to provoke a collision.
var portPicker = freePorts

// isAddrInUse recognises a listener that could not bind its port. CometBFT
// formats the RPC listener's error with %v, so the message is all there is.
func isAddrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use")
}
