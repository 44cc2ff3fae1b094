/*
 * gen_samples.c - generator of synthetic document scans with exact truth.
 *
 * Renders invented migration-office documents with pango+cairo (A4 at
 * 300 dpi, one pango layout per text line, never wrapped), degrades them with
 * Leptonica (quarter turns, small skew, speckle, blur, JPEG, G4, LZW) and
 * writes, under OUTDIR:
 *
 *   scans/<file>          the input files the pipeline reads
 *   truth/<stem>.json     what each file contains (lines, rotation, skew,
 *                         personal codes, case numbers, dates, MRZ, links)
 *   cases.csv             the case records the documents link to
 *   pdf/<file>.pdf        PDF samples: born-digital, scanned, mixed,
 *                         /Rotate 90, encrypted, truncated, no pages
 *   truth/pdf/<stem>.json their truth (gen_pdf.c)
 *   linking/<file>.pdf    born-digital PDFs for the rules of case linking
 *   truth/linking/<stem>.json  their truth (gen_linking.c)
 *
 * Usage: kt_gen_samples OUTDIR
 *        kt_gen_samples --hard OUTDIR   the hard set only: OUTDIR/hard/<file>
 *                                       and OUTDIR/truth/hard/<stem>.json
 *                                       (gen_hard.c)
 *
 * Everything is deterministic: noise comes from a fixed-seed splitmix64
 * generator of our own (never rand()), seeded per document.  All people,
 * numbers, addresses and companies are invented.  Personal codes and MRZ
 * check digits are computed here and the truth is cross-checked against the
 * rendered lines before anything is written (the program aborts with a
 * message naming the document if a check fails).
 *
 * Conventions recorded in the truth (see samples/README.md):
 *   rotation  clockwise turn in degrees (0, 90, 180, 270) that makes the
 *             page upright; equals "Rotate:" of `tesseract --psm 0 -l osd`.
 *   skew      degrees, positive = text lines rotated counter-clockwise as
 *             seen on screen (the page needs a clockwise turn to deskew).
 *
 * This file holds main; gen_private.h lists the other files and what each
 * does.
 */
#include "gen_private.h"
#include "gen_hard_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--hard") == 0) {
        setMsgSeverity(L_SEVERITY_ERROR);
        produce_hard(argv[2]);
        return 0;
    }
    if (argc != 2) {
        fprintf(stderr, "usage: kt_gen_samples OUTDIR | kt_gen_samples --hard OUTDIR\n");
        return 2;
    }
    const char *outdir = argv[1];
    setMsgSeverity(L_SEVERITY_ERROR);
    char path[1024];
    xmkdir(outdir);
    snprintf(path, sizeof path, "%s/scans", outdir);
    xmkdir(path);
    snprintf(path, sizeof path, "%s/truth", outdir);
    xmkdir(path);

    people_init();
    render_init();

    static Page broken_src;
    Doc *docs[] = {doc_lemums(),    doc_prasymas(),  doc_sobesedovanie(),
                   doc_letter(),    doc_passport(),  doc_blank(),
                   doc_intervija(), doc_iesniegums(), doc_broken(&broken_src)};
    const size_t ndocs = sizeof docs / sizeof *docs;

    for (size_t i = 0; i < ndocs; i++) {
        check_doc(docs[i]);
        link_cases(docs[i]);
    }
    write_cases(outdir);
    for (size_t i = 0; i < ndocs; i++) {
        produce(outdir, docs[i], &broken_src);
        write_truth(outdir, docs[i]);
        printf("%s\n", docs[i]->file);
    }
    produce_pdfs(outdir); /* reads the scans written above */
    produce_linking(outdir);

    for (size_t i = 0; i < ndocs; i++) {
        for (int pg = 0; pg < docs[i]->npages; pg++)
            page_free(&docs[i]->pages[pg]);
        sl_free(&docs[i]->case_numbers);
        sl_free(&docs[i]->personal_codes);
        sl_free(&docs[i]->dates);
        sl_free(&docs[i]->cases);
        free(docs[i]);
    }
    page_free(&broken_src);
    render_done();
    return 0;
}
