package apiclient

// The client is generated from the endpoint reference by oapi-codegen, with
// the options of config.yaml; httpapi's tests check that it is up to date
// and that it talks to every API family.
//
//go:generate go tool oapi-codegen -config config.yaml ../../openapi.json
