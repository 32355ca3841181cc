/* replay.h — the answers-file front end (`tshoot --answers FILE`): answers each screen
 * from the file and shows the rest (check results, the end) in line mode on out. A node
 * the file does not answer, or answers with something the node does not take, is said
 * on stderr and ends the walk (UI_FAIL: exit status 2). Closing frees it. */
#ifndef TSHOOT_UI_REPLAY_H
#define TSHOOT_UI_REPLAY_H

#include "src/answers.h"
#include "ui/ui.h"

extern const struct ui_ops replay_ui_ops;
/* u answers from ans (borrowed: it must outlive the front end). */
void replay_ui_init(struct ui *u, const struct answers *ans, FILE *in, FILE *out);

#endif
