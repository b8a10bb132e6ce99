package ledgeremu

import (
	"context"
	"net"

	ledger_go "github.com/zondax/ledger-go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// ServeZemu serves the device over the gRPC protocol of ledger-go's
// `ledger_zemu` transport (service ledger_go.ZemuCommand, method Exchange:
// raw APDU in, reply data plus status word out), the one Zondax's Zemu
// emulator speaks. A binary built with `-tags ledger_zemu` dials
// localhost:3002 instead of USB, so an unmodified
// FindLedgerCosmosUserApp reaches this device; see zemu_test.go.
//
// akw's own tests do not need this (keys.SetLedgerConnector puts the
// device under the same client code without a build tag or a fixed
// port); it is here for running third-party tools against the emulator.
// The listener should be on 127.0.0.1. Stop the returned server when done.
func ServeZemu(l net.Listener, d *Device) *grpc.Server {
	s := grpc.NewServer()
	ledger_go.RegisterZemuCommandServer(s, &zemuServer{d: d})
	go func() { _ = s.Serve(l) }()
	return s
}

type zemuServer struct {
	ledger_go.UnimplementedZemuCommandServer
	d *Device
}

func (z *zemuServer) Exchange(_ context.Context, req *ledger_go.ExchangeRequest) (*ledger_go.ExchangeReply, error) {
	reply, err := z.d.Exchange(req.GetCommand())
	if err != nil {
		return nil, status.Error(codes.Unavailable, err.Error())
	}
	return &ledger_go.ExchangeReply{Reply: reply}, nil
}
