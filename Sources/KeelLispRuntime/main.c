/* The program's entry: the compiled module's kl_program_main runs the
 * top-level forms and -main; its result is the exit status. */
#include <stdio.h>
#include "KeelLisp.h"

int64_t kl_program_main(int64_t argc, char **argv);

/* An integer result of -main is the exit status (as a byte); anything else 0. */
int64_t kl_exit_status(kl_value v) {
    int64_t n;
    return kl_long_value(v, &n) ? (int64_t)(uint8_t)n : 0;
}

int main(int argc, char **argv) {
    keel_init();
    int64_t status = kl_program_main(argc, argv);
    fflush(stdout);
    return (int)status;
}
