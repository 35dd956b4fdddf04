// Package server serves requests.
package server
// <- module server

import (
    "fmt"
//  ^ reference.import fmt
    str "strings"
//  ^ reference.import strings
)

// Handler handles one request.
type Handler interface {
//   ^ definition.interface Handler
//   ^ doc Handler handles one request.
    fmt.Stringer
//  ^ reference.base fmt.Stringer

    // Serve answers n.
    Serve(n int) error
//  ^ definition.method Handler.Serve
//  ^ doc Serve answers n.
}

// Server holds the state.
// It is not safe for concurrent use.
type Server struct {
//   ^ definition.struct Server
//   ^ doc Server holds the state.
    Name, Addr string
//  ^ definition.field Server.Name
//        ^ definition.field Server.Addr
    *Base
//   ^ reference.base Base
    count int
//  ^ definition.field Server.count
}

type ID int
//   ^ definition.class ID


// Run runs the server.
func (s *Server) Run(n int) (int, error) {
//               ^ definition.method Server.Run
//               ^ doc Run runs the server.
    fmt.Println(str.ToUpper(s.Name))
//  ^ reference.call fmt.Println
//              ^ reference.call str.ToUpper
    type local struct{ x int }
    return helper(n), nil
//         ^ reference.call helper
}

func helper(v int) int { return v }
//   ^ definition.function helper

var Default, Backup = New(), New()
//  ^ definition.variable Default
//           ^ definition.variable Backup

const (
    Max = 10
//  ^ definition.variable Max
    _ = 0
)

const Low, High = 1, 9
//    ^ definition.variable Low
//         ^ definition.variable High

func New() *Server { return &Server{} }
//   ^ definition.function New
