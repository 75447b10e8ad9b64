// The vote button: fills each <div class="vote" data-contest data-entry>
// with a real <button> that posts a vote to the voting function named by
// <meta name="postcard:votes">, shows the counts when the contest shows
// them, remembers on this device what the visitor voted for, and explains
// every refusal in plain words. Without JavaScript the places stay empty
// and the entries are still listed.
//
// Before each vote it asks the function for the contest's proof-of-work
// challenge and solves it (lib/proof.js), so a new voter's vote carries the
// Postcard-Proof header the function asks for. A function that answers no
// challenge (an older one, or a contest without) gets the vote without it.
import { solve } from "./lib/proof.js";

const meta = document.querySelector('meta[name="postcard:votes"]');
const endpoint = meta && meta.content;
const places = [...document.querySelectorAll(".vote[data-contest][data-entry]")];

const storeKey = (contest) => `postcard:votes:${contest}`;

function remembered(contest) {
  try {
    return new Set(JSON.parse(localStorage.getItem(storeKey(contest)) || "[]"));
  } catch {
    return new Set();
  }
}

function remember(contest, entry) {
  const s = remembered(contest);
  s.add(entry);
  try {
    localStorage.setItem(storeKey(contest), JSON.stringify([...s]));
  } catch {
    // Private browsing may refuse storage; the server still knows.
  }
}

// The widget's words are the page's language's, from the theme's
// translation strings in data-vote-strings; English when absent.
const strings = (() => {
  try {
    const el = document.querySelector("[data-vote-strings]");
    return (el && JSON.parse(el.dataset.voteStrings || "{}")) || {};
  } catch {
    return {};
  }
})();
const t = (key, english) => (typeof strings[key] === "string" && strings[key]) || english;
// The plural rules are made when a count is first written, not as the
// page loads: the browser's first Intl object loads its locale data, a
// long task on a slow phone.
let plurals;
// counted says a count with the plural form the page's language needs.
const counted = (key, n, english) => {
  const forms = strings[key] || {};
  plurals ??= new Intl.PluralRules(document.documentElement.lang || "en");
  const text = forms[plurals.select(n)] || forms.other;
  return text ? text.replace("{count}", n.toLocaleString(document.documentElement.lang || "en")) : english;
};
const votesText = (n) => counted("vote_count", n, `${n} ${n === 1 ? "vote" : "votes"}`);

// refusal explains a non-201 answer.
function refusal(status, body, perVoter) {
  const said = (body && typeof body.error === "string" && body.error) || "";
  switch (status) {
    case 409:
      if (/all/i.test(said) || /left/i.test(said)) {
        return perVoter
          ? counted("vote_all_used_n", perVoter, `You have used all your ${perVoter} votes in this contest.`)
          : t("vote_all_used", "You have used all your votes in this contest.");
      }
      return t("vote_already", "You have already voted for this entry.");
    case 403:
      if (/origin/i.test(said)) return t("vote_origin", "Votes are accepted only from this showcase’s own site.");
      if (/challenge|cookie/i.test(said)) return t("vote_unchecked", "Your vote could not be checked. Please reload the page and try again.");
      return t("vote_closed", "Voting is closed.");
    case 404:
      return t("vote_not_entry", "This entry is not in the contest.");
    case 400:
      return t("vote_unreadable", "Your vote could not be read. Please reload the page and try again.");
    case 413:
      return t("vote_too_large", "Your vote was too large to send. Please reload the page and try again.");
    case 429:
      if (/today|tomorrow/i.test(said)) return t("vote_network_today", "Your network has cast all the votes it may in this contest today: try again tomorrow.");
      return t("vote_network_minute", "Too many votes from your network: try again in a minute.");
    default:
      return t("vote_unavailable", "The voting service could not count your vote just now. Please try again later.");
  }
}

function setup(place, voted) {
  const { contest, entry } = place.dataset;
  const title = place.dataset.title || entry;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "vote-button";
  const label = document.createElement("span");
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden";
  hidden.textContent = t("vote_for_title", " for “{title}”").replace("{title}", title);
  button.append(label, hidden);
  const count = document.createElement("span");
  count.className = "vote-count";
  const message = document.createElement("p");
  message.className = "vote-message";
  message.setAttribute("aria-live", "polite");
  place.replaceChildren(button, count, message);

  const markVoted = () => {
    label.textContent = t("voted", "Voted");
    button.setAttribute("aria-pressed", "true");
    button.setAttribute("aria-disabled", "true");
  };
  const say = (text, error) => {
    message.textContent = text;
    message.classList.toggle("is-error", !!error);
  };
  label.textContent = t("vote", "Vote");
  if (voted) markVoted();

  let busy = false;
  button.addEventListener("click", async () => {
    if (busy) return;
    if (button.getAttribute("aria-pressed") === "true") {
      say(t("vote_already", "You have already voted for this entry."), false);
      return;
    }
    busy = true;
    button.setAttribute("aria-busy", "true");
    say(t("vote_sending", "Sending your vote…"), false);
    let res;
    try {
      const headers = { "Content-Type": "application/json" };
      const proof = await challenge(contest);
      if (proof) headers["Postcard-Proof"] = proof;
      res = await fetch(endpoint, {
        method: "POST",
        credentials: "include",
        headers,
        body: JSON.stringify({ contest, entry }),
      });
    } catch {
      say(t("vote_unreachable", "Could not reach the voting service. Check your connection and try again."), true);
      busy = false;
      button.removeAttribute("aria-busy");
      return;
    }
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    busy = false;
    button.removeAttribute("aria-busy");
    if (res.status === 201) {
      remember(contest, entry);
      markVoted();
      if (body && Number.isFinite(body.votes)) count.textContent = votesText(body.votes);
      say(`Thank you: your vote for “${title}” is counted.`, false);
      return;
    }
    if (res.status === 409 && !/all|left/i.test((body && body.error) || "")) {
      remember(contest, entry);
      markVoted();
    }
    say(refusal(res.status, body, Number(place.dataset.votesPerVoter) || 0), true);
  });
  return count;
}

// challenge fetches and solves the contest's proof-of-work challenge, or
// returns "" when the function asks for none (or cannot be asked: the vote
// then goes without, and the function decides).
async function challenge(contest) {
  let body;
  try {
    const res = await fetch(`${endpoint}/challenge?contest=${encodeURIComponent(contest)}`, { credentials: "include" });
    if (!res.ok) return "";
    body = await res.json();
  } catch {
    return "";
  }
  if (!body || typeof body.challenge !== "string" || !body.challenge) return "";
  return solve(body.challenge, Number(body.difficulty) || 0);
}

async function counts(contest) {
  try {
    const res = await fetch(`${endpoint}?contest=${encodeURIComponent(contest)}`, { credentials: "include" });
    if (!res.ok) return null;
    const body = await res.json();
    return body && body.entries && typeof body.entries === "object" ? body.entries : null;
  } catch {
    return null;
  }
}

if (endpoint && places.length) {
  const byContest = new Map();
  for (const place of places) {
    const { contest, entry } = place.dataset;
    if (!byContest.has(contest)) byContest.set(contest, { voted: remembered(contest), shown: false, counters: new Map() });
    const c = byContest.get(contest);
    c.counters.set(entry, setup(place, c.voted.has(entry)));
    if (place.dataset.showCounts === "true") c.shown = true;
  }
  for (const [contest, c] of byContest) {
    if (!c.shown) continue;
    counts(contest).then((entries) => {
      if (!entries) return;
      for (const [entry, el] of c.counters) {
        if (el.textContent === "") el.textContent = votesText(Number(entries[entry]) || 0);
      }
    });
  }
}
