// The search script folds and splits a query exactly as the Go index
// builder folds and splits the stories (generator/search): both run the
// cases of generator/search/testdata/fold.json.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fold, tokens } from "../../themes/postcard/assets/js/lib/fold.js";

const cases = JSON.parse(readFileSync(new URL("../../generator/search/testdata/fold.json", import.meta.url), "utf8"));

describe("search folding", () => {
  for (const c of cases) {
    it(JSON.stringify(c.in), () => {
      assert.equal(fold(c.in), c.fold);
      assert.deepEqual(tokens(c.in), c.tokens);
    });
  }
});
