// Command bootstrap is the voting function alone, for AWS Lambda and
// Netlify: what `postcard build` compiles for an architecture other than its
// own (see generator/function). It reads the contest manifest attached to
// its executable by the build.
package main

import (
	"os"

	"github.com/postcard-ssg/postcard/functions/vote/lambda"
)

func main() {
	os.Exit(lambda.Main())
}
