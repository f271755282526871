/* cmd — the subcommand implementations that src/cli.c's table points to.
 * Each group lives in its own src/cmd_<area>.c. */
#ifndef SHOAL_CMD_H
#define SHOAL_CMD_H

struct cli;

/* src/cmd_plan.c: reading plans */
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_waves(struct cli *c, int argc, char **argv);
int cmd_dag(struct cli *c, int argc, char **argv);

/* src/cmd_orch.c: starter plans, the control-socket clients, run status */
int cmd_new(struct cli *c, int argc, char **argv);
int cmd_mark(struct cli *c, int argc, char **argv);
int cmd_send(struct cli *c, int argc, char **argv);
int cmd_status(struct cli *c, int argc, char **argv);
int cmd_log(struct cli *c, int argc, char **argv);
/* src/cmd_git.c: worktrees, changes, merging */
int cmd_worktree(struct cli *c, int argc, char **argv);
int cmd_diff(struct cli *c, int argc, char **argv);
int cmd_merge(struct cli *c, int argc, char **argv);
/* src/cmd_exec.c: commands in tiled panes */
int cmd_exec(struct cli *c, int argc, char **argv);

#endif
