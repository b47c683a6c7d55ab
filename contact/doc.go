// Package contact holds phone numbers and email addresses as values: it
// parses what people type into canonical forms and reports what is wrong
// with input it refuses, as *errs.Error values with code errs.Invalid.
package contact
