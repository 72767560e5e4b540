/* llm_analyzer: the triage analyzer (core/triage) that asks a language
 * model (src/llm) and checks its answer (core/llm_answer).
 *
 * The rules answer first, so their spell and words are there whatever
 * happens; then, for a report with an error, the model is asked. A checked
 * answer replaces the explanation, the root cause and the affected files,
 * may bring a fix (drafted only when no recipe applies and it applies
 * cleanly) and, when no spell matched, a spell for people to accept. A
 * refused answer, a timeout or the service down leaves the rules' analysis,
 * and the decision says why. */
#ifndef MAHORAGA_LLM_ANALYZER_H
#define MAHORAGA_LLM_ANALYZER_H

#include "llm.h"
#include "triage.h"

/* The analyzer asking through c (kept by the caller while it is used). */
triage_analyzer llm_analyzer_of(llm_client *c);

#endif
