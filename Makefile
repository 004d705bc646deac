# Qawl — every set-up step lives here, so a fresh machine needs only python3 and make.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared
MODEL  := service/qawl_service/models/qawl_ar_news
STAMP  := $(VENV)/.installed

.PHONY: help install serve test lint typecheck pytest openapi train eval eval-quotes eval-stance data clean container-test bench soak corpus-check eval-corpus browser ui-screenshots

help:
	@echo "make serve   - install into $(VENV) and start the service on :8000 (QAWL_* env applies)"
	@echo "make test    - install, then ruff, mypy and pytest"
	@echo "make openapi - regenerate openapi/openapi.json from the app"
	@echo "make browser - Selenium for the analyst page's browser test (chromium + chromium-driver from apt)"
	@echo "make ui-screenshots - docs/ui-article.png and docs/ui-story.png from /ui in headless Chromium"
	@echo "make train   - rebuild the shipped model from $(SHARED)/data (needs ../shared)"
	@echo "make eval    - score the shipped model on the ANERcorp test file"
	@echo "make eval-quotes / eval-stance - quote and stance scores on the dev gold (tests/data)"
	@echo "make corpus-check - validate the Qawl News Corpus against ../shared (runs in make test)"
	@echo "make eval-corpus  - score the shipped pipeline on the corpus dev and test splits"

$(STAMP): pyproject.toml sdk/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ./sdk -e '.[dev]'
	@touch $@

install: $(STAMP)

serve: install
	$(BIN)/qawl-service serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy sdk/qawl service/qawl_service

pytest: install
	$(BIN)/python -m pytest

test: lint typecheck pytest corpus-check

openapi: install
	$(BIN)/qawl-service openapi --out openapi/openapi.json

# The analyst page's real-browser test (tests/test_ui_browser.py) needs Selenium, the [browser] extra,
# and Debian's chromium + chromium-driver (`apt-get install chromium chromium-driver`); without them it
# skips with the reason. .ci/run installs both.
browser: install
	$(BIN)/python -m pip install --quiet -e '.[browser]'

# The README's screenshots of /ui (the story one needs POST /v1/story).
ui-screenshots: browser
	$(BIN)/python scripts/ui_screenshot.py

# ---- model ---------------------------------------------------------------------------------
# The shipped recipe (docs/ner.md): ANERcorp train x3 + AQMAR + NewsFANE (test/dev removed) + WikiFANE,
# floret vectors and a pretrained tok2vec from ANT news, then the CNN NER, width 96 (seed 1: of seeds
# 0 and 1, the better on dev), then stage 2 on ANERcorp train alone (training/finetune.cfg), then
# stage 3 on the Qawl News Corpus train split + ANERcorp train, chosen on the corpus dev split
# (training/news.cfg; the corpus text is read from $(SHARED) here, never copied into the repo), then
# stage 4 with the team's synthetic name passages added (training/names.cfg, training/synthetic/).
# 40-100 min on 2 cores, by machine; floret's 2 threads make the vectors vary slightly.
NER_DATA := --extra aqmar newsfane wikifane --repeat-anercorp 3

training/corpus/train.spacy: training/prepare_ner.py | install
	$(BIN)/python training/prepare_ner.py --data $(SHARED)/data/ner --out training/corpus $(NER_DATA)

# Stage 2 trains on ANERcorp train alone (same dev and test files).
training/corpus_aner/train.spacy: training/prepare_ner.py | install
	$(BIN)/python training/prepare_ner.py --data $(SHARED)/data/ner --out training/corpus_aner

# The Qawl News Corpus as DocBins (text from the ANT news file in $(SHARED), offsets from corpus/qnc).
training/corpus_qnc/train.spacy: training/prepare_qnc.py corpus/qnc/train.jsonl | install
	$(BIN)/python training/prepare_qnc.py --shared $(SHARED) --out training/corpus_qnc

# The learned quote roles' data: content starts, cues and speakers of the corpus (docs/quotes.md).
training/quote_roles/train.spacy: training/prepare_quote_roles.py corpus/qnc/train.jsonl | install
	$(BIN)/python training/prepare_quote_roles.py --shared $(SHARED) --out training/quote_roles

data: training/corpus/train.spacy training/corpus_aner/train.spacy training/corpus_qnc/train.spacy \
	training/quote_roles/train.spacy

train: data
	$(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python training/build_lexicon.py --shared $(SHARED) --out service/qawl_service/nlp/data
	$(BIN)/python training/build_vectors.py --shared $(SHARED) --corpus training/corpus --out training/vectors
	rm -rf training/output/pretrain
	$(BIN)/python -m spacy pretrain training/config.cfg training/output/pretrain --code training/functions.py
	$(BIN)/python -m spacy train training/config.cfg --output training/output/ner --code training/functions.py \
		--paths.init_tok2vec training/output/pretrain/model1.bin --system.seed 1
	$(BIN)/python -m spacy train training/finetune.cfg --output training/output/finetune --code training/functions.py \
		--paths.base training/output/ner/model-best --system.seed 1
	$(BIN)/python training/prepare_stage3.py --base training/output/finetune/model-best --out training/stage3
	$(BIN)/python -m spacy train training/news.cfg --output training/output/news --code training/functions.py \
		--system.seed 1
	# stage 4: the team's synthetic name passages (training/synthetic/*.jsonl) added to stage 3's data
	$(BIN)/python training/synthetic/prepare.py --stage3 training/stage3 --base training/output/news/model-best \
		--out training/names
	$(BIN)/python -m spacy train training/names.cfg --output training/output/names --code training/functions.py \
		--system.seed 1
	QAWL_SHARED=$(SHARED) $(BIN)/python training/assemble.py training/output/names/model-best \
		--test training/corpus/test.spacy --out $(MODEL) \
		--finetune-config training/finetune.cfg --finetune-report training/corpus_aner/report.json \
		--news-config training/news.cfg --news-report training/stage3/report.json \
		--names-config training/names.cfg --names-report training/names/report.json
	# The learned quote roles (docs/quotes.md): trained with the assembled model's vectors, added to it,
	# and the pipeline re-scored on the corpus with them (the meta's corpus scores).
	$(BIN)/python -m spacy train training/quote_roles.cfg --output training/output/quote_roles \
		--code training/functions.py --paths.base $(MODEL) --system.seed 1
	$(BIN)/python training/add_quote_roles.py training/output/quote_roles/model-best --model $(MODEL)
	# The speaker linker, trained on the corpus train split (nlp/data/speaker_linker.json), then the
	# quote confidence, calibrated on the dev split with it (nlp/data/quote_confidence.json).
	QAWL_SHARED=$(SHARED) $(BIN)/python training/train_speaker_linker.py --model $(MODEL)
	QAWL_SHARED=$(SHARED) $(BIN)/python training/fit_quote_confidence.py --model $(MODEL)
	QAWL_SHARED=$(SHARED) $(BIN)/python -m qawl_service.corpus eval --split dev --split test --model $(MODEL) --write-meta
	# The learned stance step's weights (docs/stance.md; its candidates read the model just assembled,
	# their chunks break at the verbs of nlp/data/words/stance_verb_stems.txt, built from ANT text, and
	# its dense columns read the floret vectors of the model just assembled, $(MODEL)/vocab, stop 22):
	# nlp/data/stance_model.npz + .json (data, C, threshold, n_features, dense columns and the vectors'
	# fingerprint, dev/test scores) and the reference scores of tests/test_stance_learned.py.
	$(BIN)/python training/build_verb_stems.py --shared $(SHARED)
	QAWL_SHARED=$(SHARED) $(BIN)/python training/train_stance.py --cache training/output/stance-cache --test \
		--out service/qawl_service/nlp/data/stance_model.npz --reference tests/data/stance/learned_reference.json.gz
	# the stance confidence, calibrated on the dev split with the new weights (nlp/data/stance_confidence.json)
	QAWL_SHARED=$(SHARED) $(BIN)/python training/fit_stance_confidence.py --model $(MODEL)

eval: data
	$(BIN)/python -m qawl_service.evaluation.ner $(MODEL) --data training/corpus/test.spacy --seen-in training/corpus/train.spacy

eval-quotes: install
	$(BIN)/python -m qawl_service.evaluation.quotes --shared $(SHARED)
	$(BIN)/python -m qawl_service.evaluation.quotes --shared $(SHARED) --gold tests/data/quotes/heldout.jsonl

# The Qawl News Corpus (docs/corpus.md): validate every stored record against the text in ../shared.
corpus-check: install
	@if [ ! -f "$(SHARED)/data/unlabeled/ant_news/ant_v1.1.jsonl.gz" ]; then \
	  echo "corpus-check: skipped, the ANT text is not here (needs $(SHARED))"; \
	else \
	  QAWL_SHARED=$(SHARED) $(BIN)/python -m qawl_service.corpus check; \
	fi

# The shipped pipeline scored on the corpus's dev and test splits (the guideline's scoring).
eval-corpus: install
	QAWL_SHARED=$(SHARED) $(BIN)/python -m qawl_service.corpus eval --split dev --split test

eval-stance: install
	$(BIN)/python -m qawl_service.evaluation.stance --shared $(SHARED)

clean:
	rm -rf training/corpus training/corpus_aner training/corpus_qnc training/quote_roles training/stage3 training/names training/output .pytest_cache .mypy_cache .ruff_cache

# Build the image with podman, run it, analyze a seed through the SDK, stop it (root; see docs/deploy.md).
container-test:
	bash scripts/container-smoke.sh

# Benchmarks: throughput, HTTP, memory, scaling, profile -> BENCHMARKS.md (~12 min; needs ../shared;
# method in docs/performance.md). BENCH_ARGS passes options, e.g. BENCH_ARGS="--wait-quiet 40".
bench:
	@if [ ! -f "$(SHARED)/data/news/saudinewsnet_dev.jsonl.gz" ]; then \
	  echo "bench: skipped, $(SHARED)/data/news/saudinewsnet_dev.jsonl.gz is not here (needs ../shared)"; \
	else \
	  $(MAKE) --no-print-directory install && \
	  $(BIN)/python -m pip install --quiet -e '.[bench]' && \
	  $(BIN)/python -m bench.run --shared $(SHARED) $(BENCH_ARGS); \
	fi

# 10 minutes of mixed load against `qawl-service serve --workers 2` on loopback; the figures replace
# the "## Soak" section of BENCHMARKS.md (exit 1 on a 5xx, an unanswered request or RSS growth >= 10 %).
soak: install
	$(BIN)/python bench/soak.py $(SOAK_ARGS)
