"""`taxo inspect`: models on disk (Hugging Face folders, safetensors, GGUF, the HF cache), hostile files included."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest

from modelfiles import (
    count,
    gguf_bytes,
    llama_config,
    llama_gguf_tensors,
    llama_metadata,
    safetensors_bytes,
    snapshot,
    tiny_llama_tensors,
    write_gguf,
    write_hf_folder,
    write_raw_safetensors,
    write_safetensors,
)

TINY = tiny_llama_tensors()
TINY_COUNT = 90_432  # 2 * 128*64 (embeddings, head) + 2 layers * (2*64*64 + 2*32*64 + 3*128*64 + 2*64) + 64
MISTRAL_COUNT = 7_241_732_096


@pytest.fixture(autouse=True)
def _no_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never look at the real Hugging Face cache: an empty one under tmp_path unless a test makes its own."""
    for var in ("HF_HOME", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-hf-cache"))


def mistral_tensors() -> dict[str, tuple[int, ...]]:
    """Mistral 7B v0.1's real tensor shapes (hidden 4096, 32 layers, 8 KV heads, MLP 14336, vocabulary 32000)."""
    shapes: dict[str, tuple[int, ...]] = {
        "model.embed_tokens.weight": (32000, 4096), "model.norm.weight": (4096,), "lm_head.weight": (32000, 4096),
    }  # fmt: skip
    for i in range(32):
        p = f"model.layers.{i}."
        shapes.update(
            {
                p + "self_attn.q_proj.weight": (4096, 4096), p + "self_attn.k_proj.weight": (1024, 4096),
                p + "self_attn.v_proj.weight": (1024, 4096), p + "self_attn.o_proj.weight": (4096, 4096),
                p + "mlp.gate_proj.weight": (14336, 4096), p + "mlp.up_proj.weight": (14336, 4096),
                p + "mlp.down_proj.weight": (4096, 14336), p + "input_layernorm.weight": (4096,),
                p + "post_attention_layernorm.weight": (4096,),
            }
        )  # fmt: skip
    return shapes


def sparse(path: Path) -> Path:
    """Tests that need 7B-parameter headers use sparse files; skip where the file system cannot make them."""
    info = os.stat(path)
    if info.st_blocks * 512 > 64 * 1024 * 1024:
        pytest.skip("this file system does not make sparse files")
    return path


# -- Hugging Face folders ----------------------------------------------------------------------------------------


def test_tiny_hf_folder_exact_count_stage_and_category(taxo, tmp_path):
    folder = write_hf_folder(tmp_path / "tiny-llama", TINY)
    before = snapshot(tmp_path)
    data = taxo.json("inspect", str(folder))
    assert count(TINY) == TINY_COUNT
    assert data["parameters"]["value"] == TINY_COUNT
    assert data["parameters"]["status"] == "derived"
    assert "sum of the tensor shapes" in data["parameters"]["method"]
    assert data["stage"] == "base"
    assert data["stage_evidence"]["id"] == "no-sign-of-tuning"
    assert [c["id"] for c in data["categories"]] == ["slm"]  # foundation is never claimed from files alone
    assert data["architecture"] == "decoder-only transformer"
    assert data["modalities"] == {"input": ["text"], "output": ["text"]}
    assert data["context_length"] == 4096
    assert data["name"] == "tiny-llama" and data["id"] == "tiny-llama"
    assert data["catalogue_id"] is None and data["match"] is None
    assert data["facts_from"]["parameters"] == "file"
    assert data["file_facts"]["architecture"] == {"value": "LlamaForCausalLM", "from": "config.json: architectures"}
    assert data["file_facts"]["layers"]["value"] == 2 and data["file_facts"]["vocab_size"]["value"] == 128
    assert data["inspected"]["format"] == "hf-folder" and data["inspected"]["tensors"] == len(TINY)
    assert snapshot(tmp_path) == before  # byte for byte, and no new file


def test_json_keeps_every_key_of_the_show_contract(taxo, tmp_path):
    shown = taxo.json("show", "mistral-7b")
    inspected = taxo.json("inspect", str(write_hf_folder(tmp_path / "m", TINY)))
    assert set(shown) <= set(inspected)
    for key, value in shown.items():
        if value is not None and inspected[key] is not None:
            assert type(inspected[key]) is type(value), key
    assert set(shown["parameters"]) <= set(inspected["parameters"])


def test_sharded_folder_sums_every_shard_of_the_index(taxo, tmp_path):
    folder = write_hf_folder(tmp_path / "sharded", TINY, shards=3)
    data = taxo.json("inspect", str(folder))
    assert data["parameters"]["value"] == TINY_COUNT
    assert len(data["inspected"]["files"]) == 3


def test_missing_shard_is_a_note_not_a_wrong_count(taxo, tmp_path):
    folder = write_hf_folder(tmp_path / "partial", TINY, shards=3)
    (folder / "model-00002-of-00003.safetensors").unlink()
    data = taxo.json("inspect", str(folder))
    assert data["parameters"]["value"] is None
    assert any("1 of the 3 weight files the index names are missing" in n for n in data["notes"])
    card = taxo("inspect", str(folder)).stdout
    assert "Parameters:      unknown: the files do not show it" in card


def test_tied_embeddings_count_once(taxo, tmp_path):
    tied = tiny_llama_tensors(tied=True)
    data = taxo.json("inspect", str(write_hf_folder(tmp_path / "tied", tied)))
    assert data["parameters"]["value"] == TINY_COUNT - 128 * 64


def test_chat_template_and_stop_token_mean_instruct(taxo, tmp_path):
    files = {
        "tokenizer_config.json": {
            "chat_template": "{% for m in messages %}{{ m.content }}{% endfor %}",
            "eos_token": "</s>",
            "added_tokens_decoder": {"2": {"content": "</s>"}, "7": {"content": "<|im_end|>"}},
        },
        "generation_config.json": {"eos_token_id": [2, 7], "temperature": 0.6, "top_p": 0.9},
    }
    data = taxo.json("inspect", str(write_hf_folder(tmp_path / "assistant", TINY, files=files)))
    assert data["stage"] == "instruct"
    assert data["stage_evidence"]["id"] == "chat-turn-stop-token"
    assert "'<|im_end|>'" in data["stage_evidence"]["why"]
    assert data["file_facts"]["chat_template"]["from"] == "tokenizer_config.json: chat_template"
    assert data["file_facts"]["generation"]["temperature"]["value"] == 0.6
    assert [t["value"] for t in data["file_facts"]["stop_tokens"]] == ["</s>", "</s>", "<|im_end|>"]


def test_chat_template_alone_means_instruct(taxo, tmp_path):
    files = {"chat_template.jinja": "{{ messages }}"}
    data = taxo.json("inspect", str(write_hf_folder(tmp_path / "templated", TINY, files=files)))
    assert data["stage"] == "instruct" and data["stage_evidence"]["id"] == "chat-template"


@pytest.mark.parametrize(
    ("folder", "stage", "rule"),
    [("TinyLlama-Chat", "chat", "name-says-chat"), ("gemma-tiny-it", "instruct", "name-says-instruct")],
)
def test_name_words_give_the_stage(taxo, tmp_path, folder, stage, rule):
    config = {**llama_config(), "_name_or_path": f"acme/{folder}"}
    data = taxo.json("inspect", str(write_hf_folder(tmp_path / "local-copy", TINY, config)))
    assert (data["stage"], data["stage_evidence"]["id"]) == (stage, rule)
    assert "chat" in {c["id"] for c in data["categories"]} or stage != "chat"


def test_a_folder_name_is_not_evidence_and_local_weights_are_not_open(taxo, tmp_path):
    """The folder is whatever the user called it: 'my-chat-finetune' says nothing of how the files were trained,
    and files on a disk say nothing of who may download them."""
    data = taxo.json("inspect", str(write_hf_folder(tmp_path / "my-chat-finetune", TINY)))
    assert data["stage"] == "base" and data["stage_evidence"]["id"] == "no-sign-of-tuning"
    assert data["weights"] == "local"
    out = taxo("inspect", str(tmp_path / "my-chat-finetune")).stdout
    assert "Weights:" in out and "open" not in out.split("Weights:")[1].splitlines()[0]


def test_a_classifier_head_is_not_text_to_text(taxo, tmp_path):
    config = {**llama_config(), "architectures": ["LlamaForSequenceClassification"]}
    data = taxo.json("inspect", str(write_hf_folder(tmp_path / "reviews-classifier", TINY, config)))
    assert data["modalities"] == {"input": ["text"], "output": ["label"]}
    assert not {"llm", "slm"} & {c["id"] for c in data["categories"]}
    assert "does not generate text" in taxo("inspect", str(tmp_path / "reviews-classifier")).stdout


def test_readme_front_matter_gives_licence_and_lineage(taxo, tmp_path):
    readme = "---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\ntags: [x]\n---\n# My model\n"
    data = taxo.json("inspect", str(write_hf_folder(tmp_path / "my-finetune", TINY, files={"README.md": readme})))
    assert data["license"] == "apache-2.0" and data["facts_from"]["license"] == "file"
    assert data["base_model"] == "mistral-7b"
    assert data["lineage"] == ["mistral-7b", "my-finetune"]
    assert data["file_facts"]["base_model"]["from"] == "README.md front matter: base_model"


def test_unknown_base_model_is_a_lineage_note(taxo, tmp_path):
    readme = "---\nbase_model: acme/never-heard-of-it\n---\n"
    data = taxo.json("inspect", str(write_hf_folder(tmp_path / "ft", TINY, files={"README.md": readme})))
    assert data["base_model"] is None
    assert "acme/never-heard-of-it" in data["lineage_note"] and "not in the catalogue" in data["lineage_note"]


def test_broken_readme_and_generation_config_are_notes(taxo, tmp_path):
    files = {"README.md": "---\nlicense: [unclosed\n---\n", "generation_config.json": "{not json"}
    result = taxo("inspect", str(write_hf_folder(tmp_path / "m", TINY, files=files)), "--format", "json")
    assert result.exit_code == 0
    notes = json.loads(result.stdout)["notes"]
    assert any(n.startswith("README.md front matter is not valid YAML") for n in notes)
    assert any(n.startswith("generation_config.json could not be read") for n in notes)


def test_pickled_weights_are_never_unpickled(taxo, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(llama_config()))
    (folder / "pytorch_model.bin").write_bytes(b"\x80\x04cos\nsystem\n(S'echo pwned'\ntR.")
    data = taxo.json("inspect", str(folder))
    assert data["parameters"]["value"] is None
    assert any("taxo never unpickles files" in n for n in data["notes"])


def test_gptq_packed_weights_are_unpacked_and_scales_left_out(taxo, tmp_path):
    config = llama_config(quantization_config={"quant_method": "gptq", "bits": 4, "group_size": 32})
    shapes = {"model.layers.0.mlp.up_proj.qweight": (8, 128), "model.layers.0.mlp.up_proj.scales": (2, 128),
              "model.layers.0.mlp.up_proj.qzeros": (2, 16), "model.layers.0.mlp.up_proj.g_idx": (64,),
              "model.norm.weight": (64,)}  # fmt: skip
    folder = tmp_path / "gptq"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(config))
    head, length = safetensors_bytes(shapes, "I32")
    (folder / "model.safetensors").write_bytes(head + b"\0" * length)
    data = taxo.json("inspect", str(folder))
    assert data["parameters"]["value"] == 8 * 128 * 8 + 64  # 64x128 weights packed eight to an int32, plus the norm
    assert data["quantisation"] == "GPTQ 4-bit"


def test_config_json_path_means_its_folder(taxo, tmp_path):
    folder = write_hf_folder(tmp_path / "m", TINY)
    assert taxo.json("inspect", str(folder / "config.json"))["parameters"]["value"] == TINY_COUNT


# -- single safetensors files -------------------------------------------------------------------------------------


def test_single_safetensors_file(taxo, tmp_path):
    path = write_safetensors(tmp_path / "weights.safetensors", TINY, dtype="F16")
    data = taxo.json("inspect", str(path))
    assert data["parameters"]["value"] == TINY_COUNT
    assert data["inspected"]["format"] == "safetensors"
    assert data["file_facts"]["dtype"]["value"] == "F16"
    assert data["name"] == "weights"


def test_one_shard_of_a_folder_says_so(taxo, tmp_path):
    folder = write_hf_folder(tmp_path / "m", TINY)
    data = taxo.json("inspect", str(folder / "model.safetensors"))
    assert any("part of a model folder" in n for n in data["notes"])


# -- GGUF ----------------------------------------------------------------------------------------------------------


def test_gguf_count_quantisation_vocabulary_and_template(taxo, tmp_path):
    metadata = llama_metadata(**{"tokenizer.chat_template": "{{ messages }}", "tokenizer.ggml.eos_token_id": 3,
                                 "general.license": "mit", "general.organization": "Acme"})  # fmt: skip
    path = write_gguf(tmp_path / "tiny.Q8_0.gguf", metadata, llama_gguf_tensors(TINY))
    before = snapshot(tmp_path)
    data = taxo.json("inspect", str(path))
    assert data["parameters"]["value"] == TINY_COUNT
    assert data["quantisation"] == "Q8_0"
    assert data["summary"] == "Tiny Llama Test, quantised Q8_0"
    assert data["name"] == "Tiny Llama Test"
    assert data["organization"] == "Acme"
    assert data["license"] == "mit"
    assert data["stage"] == "instruct" and data["stage_evidence"]["id"] == "chat-template"
    assert data["context_length"] == 2048
    assert data["file_facts"]["vocab_size"]["value"] == 128
    assert data["file_facts"]["stop_tokens"][0]["value"] == "tok3"  # eos id 3, looked up in the vocabulary
    assert data["inspected"]["format_version"] == "3"
    assert snapshot(tmp_path) == before


def test_a_real_sized_vocabulary_is_walked_and_its_stop_token_found(taxo, tmp_path):
    """152K tokens and 151K merges (megabytes of metadata, more than one read): the eos token near the end."""
    metadata = llama_metadata(vocab=152_000, **{"tokenizer.ggml.merges": [f"a{i} b{i}" for i in range(151_000)],
                                                "tokenizer.ggml.eos_token_id": 151_999})  # fmt: skip
    data = taxo.json("inspect", str(write_gguf(tmp_path / "v.gguf", metadata, llama_gguf_tensors(TINY))))
    assert data["file_facts"]["vocab_size"]["value"] == 152_000
    assert data["file_facts"]["stop_tokens"][0]["value"] == "tok151999"


def test_big_endian_gguf(taxo, tmp_path):
    path = write_gguf(tmp_path / "be.gguf", llama_metadata(), llama_gguf_tensors(TINY), order=">")
    data = taxo.json("inspect", str(path))
    assert data["parameters"]["value"] == TINY_COUNT
    assert "a big-endian GGUF file" in data["notes"]


def test_split_gguf_counts_every_part(taxo, tmp_path):
    tensors = llama_gguf_tensors(TINY)
    names = list(tensors)
    first = {n: tensors[n] for n in names[:10]}
    second = {n: tensors[n] for n in names[10:]}
    write_gguf(tmp_path / "tiny-00001-of-00002.gguf", llama_metadata(**{"split.count": 2}), first)
    write_gguf(tmp_path / "tiny-00002-of-00002.gguf", {"split.count": 2}, second)
    data = taxo.json("inspect", str(tmp_path / "tiny-00001-of-00002.gguf"))
    assert data["parameters"]["value"] == TINY_COUNT
    assert len(data["inspected"]["files"]) == 2


def test_mixture_of_experts_active_parameters(taxo, tmp_path):
    tensors = {
        "token_embd.weight": ((64, 100), "F16"),
        "blk.0.ffn_gate_exps.weight": ((64, 32, 8), "F16"),
        "blk.0.ffn_up_exps.weight": ((64, 32, 8), "F16"),
        "blk.0.ffn_down_exps.weight": ((32, 64, 8), "F16"),
    }
    metadata = llama_metadata(**{"llama.expert_count": 8, "llama.expert_used_count": 2})
    data = taxo.json("inspect", str(write_gguf(tmp_path / "moe.gguf", metadata, tensors)))
    experts = 3 * 64 * 32 * 8
    assert data["parameters"]["value"] == 6400 + experts
    assert data["parameters"]["active"] == 6400 + experts * 2 // 8


def test_folder_with_one_gguf_reads_it_and_its_readme(taxo, tmp_path):
    folder = tmp_path / "some-gguf-repo"
    folder.mkdir()
    write_gguf(folder / "tiny.Q8_0.gguf", llama_metadata(), llama_gguf_tensors(TINY))
    (folder / "README.md").write_text("---\nlicense: apache-2.0\n---\n")
    data = taxo.json("inspect", str(folder))
    assert data["inspected"]["format"] == "gguf" and data["parameters"]["value"] == TINY_COUNT
    assert data["license"] == "apache-2.0"


def test_folder_with_several_ggufs_asks_which(taxo, tmp_path):
    for quant in ("Q4_K_M", "Q8_0"):
        write_gguf(tmp_path / f"tiny.{quant}.gguf", llama_metadata(), llama_gguf_tensors(TINY))
    result = taxo("inspect", str(tmp_path))
    assert result.exit_code == 4
    assert "holds 2 GGUF models (tiny.Q4_K_M.gguf, tiny.Q8_0.gguf): name one" in result.stderr


# -- matching the catalogue ----------------------------------------------------------------------------------------


def test_mistral_gguf_matches_the_catalogue_quantised(taxo, tmp_path):
    metadata = llama_metadata(name="mistralai_mistral-7b-v0.1", context=32768, vocab=300, file_type=15)
    path = sparse(write_gguf(tmp_path / "mistral-7b-v0.1.Q4_K_M.gguf", metadata, llama_gguf_tensors(mistral_tensors(), "Q4_K")))
    before = snapshot(tmp_path)
    data = taxo.json("inspect", str(path))
    assert data["id"] == "mistral-7b" and data["catalogue_id"] == "mistral-7b"
    assert data["summary"] == "Mistral 7B, quantised Q4_K_M"
    assert data["parameters"]["value"] == MISTRAL_COUNT
    assert data["parameters"]["alternatives"][0]["value"] == MISTRAL_COUNT  # the catalogue's figure, with sources
    assert data["match"]["how"].startswith("by name: 'mistralai_mistral-7b-v0.1' (GGUF metadata: general.name)")
    assert "confirmed by the parameter count (the same)" in data["match"]["how"]
    assert data["stage"] == "base"
    assert [c["id"] for c in data["categories"]] == ["foundation", "llm", "slm"]  # llm, slm: contested
    assert data["facts_from"]["parameters"] == "file" and data["facts_from"]["released"] == "catalogue"
    assert data["released"] == "2023-09-27" and data["license"] == "Apache-2.0"
    card = taxo("inspect", str(path))
    assert card.stdout.startswith("Mistral 7B, quantised Q4_K_M (mistral-7b)\n")
    assert "From the catalogue:  name, organization, family, release date" in card.stdout
    assert snapshot(tmp_path) == before


def test_mistral_hf_folder_matches_by_folder_name_and_exact_count(taxo, tmp_path):
    folder = write_hf_folder(tmp_path / "Mistral-7B-v0.1", mistral_tensors(), llama_config(), shards=2)
    sparse(folder / "model-00001-of-00002.safetensors")
    data = taxo.json("inspect", str(folder))
    assert data["catalogue_id"] == "mistral-7b"
    assert data["parameters"]["value"] == MISTRAL_COUNT


def test_an_instruct_folder_matches_the_instruct_model_not_its_base(taxo, tmp_path):
    files = {"tokenizer_config.json": {"chat_template": "[INST] {{ m }} [/INST]", "eos_token": "</s>"}}
    folder = write_hf_folder(tmp_path / "Mistral-7B-Instruct-v0.1", mistral_tensors(), llama_config(), files=files)
    sparse(folder / "model.safetensors")
    data = taxo.json("inspect", str(folder))
    assert data["catalogue_id"] == "mistral-7b-instruct"
    assert data["stage"] == "instruct" and data["lineage"] == ["mistral-7b", "mistral-7b-instruct"]
    assert [c["id"] for c in data["categories"]] == ["foundation", "slm"]
    assert data["stage_evidence"]["id"] == "chat-template"  # the folder's name is not evidence of tuning


def test_a_name_with_the_wrong_size_is_not_matched(taxo, tmp_path):
    path = write_gguf(tmp_path / "mistral-7b.gguf", llama_metadata(name="Mistral 7B"), llama_gguf_tensors(TINY))
    data = taxo.json("inspect", str(path))
    assert data["catalogue_id"] is None and data["id"] == "mistral-7b-local"
    assert any("is the catalogue's Mistral 7B, but the files hold 90.4K parameters, not 7.24B" in n for n in data["notes"])


def test_same_size_under_another_name_resembles_but_does_not_match(taxo, tmp_path):
    metadata = llama_metadata(name="Zephyr Seven", context=32768)
    path = sparse(write_gguf(tmp_path / "zephyr.gguf", metadata, llama_gguf_tensors(mistral_tensors(), "Q4_K")))
    data = taxo.json("inspect", str(path))
    assert data["catalogue_id"] is None
    assert "mistral-7b" in data["resembles"] and "olmo-2-7b" not in data["resembles"]  # 7.30B: close, not the same
    assert [c["id"] for c in data["categories"]] == ["slm"]


def test_quantised_copy_declared_in_the_readme_matches_its_base(taxo, tmp_path):
    readme = "---\nbase_model: mistralai/Mistral-7B-v0.1\nbase_model_relation: quantized\n---\n"
    folder = tmp_path / "some-quant"
    folder.mkdir()
    tensors = llama_gguf_tensors(mistral_tensors(), "Q4_K")
    sparse(write_gguf(folder / "model.gguf", llama_metadata(name="whatever", file_type=15), tensors))
    (folder / "README.md").write_text(readme)
    data = taxo.json("inspect", str(folder))
    assert data["catalogue_id"] == "mistral-7b"
    assert data["match"]["how"].startswith("by name: 'mistralai/Mistral-7B-v0.1' (README.md front matter: base_model)")
    assert data["summary"] == "Mistral 7B, quantised Q4_K_M"


def test_a_readme_base_model_alone_is_lineage_not_identity(taxo, tmp_path):
    readme = "---\nbase_model: mistralai/Mistral-7B-v0.1\n---\n"
    folder = write_hf_folder(tmp_path / "ft", TINY, files={"README.md": readme})
    data = taxo.json("inspect", str(folder))
    assert data["catalogue_id"] is None and data["base_model"] == "mistral-7b"


def test_user_catalogue_entries_are_matched_too(taxo, tmp_path):
    catalogue = tmp_path / "mine.yaml"
    catalogue.write_text(
        "sources:\n  - {id: tiny-card, title: Tiny card, url: 'https://example.org/tiny', kind: model-card}\n"
        "organizations:\n  - {id: acme, name: Acme Labs}\n"
        "models:\n  - id: tiny-llama-test\n    name: Tiny Llama Test\n    organization: acme\n"
        "    parameters: {value: 90432, status: official, sources: [tiny-card]}\n"
        "    architecture: decoder-only transformer\n    modalities: {input: [text], output: [text]}\n"
        "    weights: open\n    license: MIT\n    stage: chat\n    sources: [tiny-card]\n"
    )
    path = write_gguf(tmp_path / "t.gguf", llama_metadata(), llama_gguf_tensors(TINY))
    data = taxo.json("--catalog", str(catalogue), "inspect", str(path))
    assert data["catalogue_id"] == "tiny-llama-test"
    assert data["organization"] == "Acme Labs" and data["facts_from"]["organization"] == "catalogue"
    assert data["stage"] == "chat" and "chat" in {c["id"] for c in data["categories"]}


# -- the Hugging Face cache ----------------------------------------------------------------------------------------


def make_cache(root: Path) -> Path:
    """A fake cache: two models (one a symlinked snapshot, as huggingface_hub writes), one broken, one dataset."""
    repo = root / "models--acme--Tiny-Llama-Chat"
    revision = "a" * 40
    blobs = repo / "blobs"
    blobs.mkdir(parents=True)
    head, length = safetensors_bytes(TINY)
    (blobs / "weights").write_bytes(head + b"\0" * length)
    (blobs / "config").write_text(json.dumps(llama_config()))
    snap = repo / "snapshots" / revision
    snap.mkdir(parents=True)
    (snap / "model.safetensors").symlink_to("../../blobs/weights")
    (snap / "config.json").symlink_to("../../blobs/config")
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(revision)
    write_hf_folder(root / "models--mistralai--Mistral-7B-v0.1" / "snapshots" / ("b" * 40), mistral_tensors())
    broken = root / "models--evil--broken" / "snapshots" / ("c" * 40)
    broken.mkdir(parents=True)
    (broken / "model.safetensors").write_bytes(struct.pack("<Q", 2**64 - 1))
    (root / "models--empty--download").mkdir()
    (root / "datasets--acme--data" / "snapshots").mkdir(parents=True)
    return root


def test_hf_cache_lists_each_model_one_row(taxo, tmp_path, monkeypatch):
    root = make_cache(tmp_path / "hub")
    sparse(root / "models--mistralai--Mistral-7B-v0.1" / "snapshots" / ("b" * 40) / "model.safetensors")
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    before = snapshot(root)
    result = taxo("inspect", "--hf-cache", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["cache"] == str(root)
    rows = {row["repo"]: row for row in data["models"]}
    assert list(rows) == ["acme/Tiny-Llama-Chat", "empty/download", "evil/broken", "mistralai/Mistral-7B-v0.1"]
    tiny = rows["acme/Tiny-Llama-Chat"]
    assert tiny["parameters"] == TINY_COUNT and tiny["stage"] == "chat" and tiny["revision"] == "a" * 40
    assert tiny["categories"] == ["foundation", "slm", "chat"]  # a tuned model: foundation-adapted
    mistral = rows["mistralai/Mistral-7B-v0.1"]
    assert mistral["catalogue_id"] == "mistral-7b" and mistral["categories"] == ["foundation", "llm", "slm"]
    assert rows["evil/broken"]["error"].startswith("model.safetensors: not a safetensors file, or a hostile one")
    assert rows["empty/download"]["error"] == "no snapshot: the download never completed"
    assert "taxo: note: 2 cached models could not be read: see their rows" in result.stderr
    plain = taxo("inspect", "--hf-cache").stdout
    assert plain.startswith("Hugging Face cache (4 models)\n")
    assert "acme/Tiny-Llama-Chat:" in plain and "Mistral 7B (mistral-7b) · 7.24B · base · foundation, llm (contested), slm (contested)" in plain
    assert snapshot(root) == before


def test_a_hostile_cache_entry_is_its_own_row_not_an_empty_listing(taxo, tmp_path, monkeypatch):
    root = make_cache(tmp_path / "hub")
    (root / "models--evil--loop").symlink_to(root / "models--evil--loop")  # a folder that links to itself
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    result = taxo("inspect", "--hf-cache", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["repo"]: row for row in json.loads(result.stdout)["models"]}
    assert "mistralai/Mistral-7B-v0.1" in rows and "acme/Tiny-Llama-Chat" in rows
    assert rows["evil/loop"]["error"]


def test_a_cache_past_the_listing_limit_says_it_was_cut(taxo, tmp_path, monkeypatch):
    from taxonomy_cli import hf_cache

    root = make_cache(tmp_path / "hub")
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    monkeypatch.setattr(hf_cache, "MAX_REPOS", 2)
    result = taxo("inspect", "--hf-cache", "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["models"]) == 2
    assert "taxo: note: the cache holds more than 2 models: 2 of them are listed" in result.stderr


def test_inspect_a_cached_model_by_repo_id_and_by_cache_folder(taxo, tmp_path, monkeypatch):
    root = make_cache(tmp_path / "hub")
    monkeypatch.setenv("HF_HUB_CACHE", str(root))
    data = taxo.json("inspect", "acme/Tiny-Llama-Chat")
    assert data["inspected"]["repo"] == "acme/Tiny-Llama-Chat" and data["inspected"]["revision"] == "a" * 40
    assert data["name"] == "Tiny-Llama-Chat" and data["stage"] == "chat"
    assert data["file_facts"]["organization"]["value"] == "acme"
    by_folder = taxo.json("inspect", str(root / "models--acme--Tiny-Llama-Chat"))
    assert by_folder["parameters"] == data["parameters"]


def test_the_cache_folder_itself_points_to_hf_cache(taxo, tmp_path):
    root = make_cache(tmp_path / "hub")
    result = taxo("inspect", str(root))
    assert result.exit_code == 4
    assert "a Hugging Face cache, not a model folder: list it with taxo inspect --hf-cache" in result.stderr


def test_missing_cache_is_not_found(taxo, tmp_path):
    result = taxo("inspect", "--hf-cache")
    assert result.exit_code == 3
    assert "no Hugging Face cache at" in result.stderr and "HF_HUB_CACHE" in result.stderr


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"HF_HUB_CACHE": "/a", "HF_HOME": "/b", "XDG_CACHE_HOME": "/c"}, "/a"),
        ({"HUGGINGFACE_HUB_CACHE": "/old", "HF_HOME": "/b"}, "/old"),
        ({"HF_HOME": "/b", "XDG_CACHE_HOME": "/c"}, "/b/hub"),
        ({"XDG_CACHE_HOME": "/c"}, "/c/huggingface/hub"),
        ({}, os.path.expanduser("~/.cache/huggingface/hub")),
    ],
)
def test_cache_location_is_found_as_huggingface_hub_finds_it(environ, expected):
    from taxonomy_cli import hf_cache

    assert str(hf_cache.location(environ)) == expected


# -- hostile and broken files -----------------------------------------------------------------------------------------


def _gguf_header(tensors: int, keys: int) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, keys)


def _kv(key: bytes, value_type: int, raw: bytes) -> bytes:
    return struct.pack("<Q", len(key)) + key + struct.pack("<I", value_type) + raw


HOSTILE = {
    "empty.gguf": (b"", "the file is empty"),
    "magic.gguf": (b"GGML" + b"\0" * 64, "not a GGUF file: wrong magic number"),
    "version.gguf": (b"GGUF" + struct.pack("<I", 99) + b"\0" * 16, "unsupported GGUF version 99"),
    "v1.gguf": (b"GGUF" + struct.pack("<IQQ", 1, 0, 0), "GGUF version 1 (2023) is not supported"),
    "header.gguf": (b"GGUF" + struct.pack("<I", 3), "truncated: the header runs past the end of the file"),
    "tensors.gguf": (_gguf_header(10**9, 0), "claims 1,000,000,000 tensors (the limit is 100,000)"),
    "keys.gguf": (_gguf_header(0, 2**63), "claims 9,223,372,036,854,775,808 metadata keys"),
    "string.gguf": (_gguf_header(0, 1) + struct.pack("<Q", 2**64 - 1), "a string of 18,446,744,073,709,551,615 bytes"),
    "nested.gguf": (_gguf_header(0, 1) + _kv(b"k", 9, struct.pack("<IQ", 9, 1) * 20), "arrays nested more than 8 deep"),
    "array.gguf": (_gguf_header(0, 1) + _kv(b"k", 9, struct.pack("<IQ", 0, 2**40)), "an array of 1,099,511,627,776 items"),
    "strings.gguf": (_gguf_header(0, 1) + _kv(b"k", 9, struct.pack("<IQ", 8, 5_000_000)), "more than 4,000,000 metadata strings"),
    "type.gguf": (_gguf_header(0, 1) + _kv(b"k", 77, b""), "unknown metadata value type 77"),
    "dup.gguf": (_gguf_header(0, 2) + _kv(b"k", 4, b"\1\0\0\0") * 2, "metadata key 'k' appears twice"),
    "dims.gguf": (_gguf_header(1, 0) + struct.pack("<Q", 1) + b"t" + struct.pack("<I", 1000), "has 1000 dimensions"),
    "align.gguf": (_gguf_header(0, 1) + _kv(b"general.alignment", 4, struct.pack("<I", 3)), "general.alignment 3 is not a power of two"),
    "short.safetensors": (b"\1\0\0", "truncated: 3 bytes, too short for a safetensors file"),
    "near-2-64.safetensors": (struct.pack("<Q", 2**64 - 8) + b"{}", "its header claims 18,446,744,073,709,551,608 bytes (the limit is 100,000,000)"),
    "claims-more.safetensors": (struct.pack("<Q", 4096) + b"{}", "truncated: its header claims 4,096 bytes but the file has 10"),
    "not-json.safetensors": (struct.pack("<Q", 4) + b"{abc", "malformed safetensors header: Expecting property name"),
    "list.safetensors": (struct.pack("<Q", 2) + b"[]", "not a safetensors file: its header does not start with a JSON object"),
    "deep.safetensors": (struct.pack("<Q", 400_001) + b"{" + b'"a":{' * 80_000, "malformed safetensors header: nested too deeply"),
    "utf8.safetensors": (struct.pack("<Q", 3) + b'{"\xff', "malformed safetensors header: not UTF-8 (byte 10)"),
    "bigint.safetensors": (struct.pack("<Q", 5008) + b'{"a":' + b"9" * 5000 + b"}" + b" " * 2, "malformed safetensors header"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_one_clear_error_and_left_unchanged(taxo, tmp_path, name):
    content, expected = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(tmp_path)
    result = taxo("inspect", str(path))
    assert result.exit_code == 4, result.stderr
    assert result.stdout == ""
    assert expected in result.stderr
    assert result.stderr.startswith(f"taxo: error: {path}: ") and result.stderr.count("\n") == 1
    assert snapshot(tmp_path) == before


def _tensor(dtype: str, shape: list, offsets: list) -> dict:
    return {"dtype": dtype, "shape": shape, "data_offsets": offsets}


@pytest.mark.parametrize(
    ("header", "tail", "expected"),
    [
        ({"w": _tensor("F32", [2, 2], [0, 16])}, b"\0" * 8, "lies outside the file's 8 data bytes"),
        ({"w": _tensor("F32", [2, 2], [0, 8])}, b"\0" * 8, "tensor 'w''s size does not match its shape"),
        ({"w": _tensor("F32", [2**62, 2**62], [0, 8])}, b"\0" * 8, "size does not match its shape"),
        ({"w": _tensor("F32", [-1], [0, 0])}, b"", "has a bad shape"),
        ({"w": _tensor("F32", [True], [0, 4])}, b"\0" * 4, "has a bad shape"),
        ({"w": _tensor("F32", [1] * 100, [0, 4])}, b"\0" * 4, "has a bad shape"),
        ({"w": _tensor("<script>", [1], [0, 4])}, b"\0" * 4, "has a bad dtype"),
        # a dtype taxo does not know still takes at least a bit an element: no 292-digit "exact" counts
        ({"w": _tensor("F9_NEW", [2**40] * 8, [0, 4])}, b"\0" * 4, "size does not match its shape"),
        ({"a": _tensor("F32", [2], [0, 8]), "b": _tensor("F32", [2], [4, 12])}, b"\0" * 12, "overlap in the file"),
        ({"w": {"dtype": "F32"}}, b"", "needs dtype, shape, data_offsets"),
        ({"__metadata__": [1]}, b"", "__metadata__ is not a mapping"),
    ],
)
def test_malformed_safetensors_headers(taxo, tmp_path, header, tail, expected):
    path = write_raw_safetensors(tmp_path / "bad.safetensors", header, tail=tail)
    result = taxo("inspect", str(path))
    assert result.exit_code == 4
    assert expected in result.stderr and "Traceback" not in result.stderr


def test_a_nan_in_model_metadata_is_still_json(taxo, tmp_path):
    path = tmp_path / "nan.gguf"
    write_gguf(path, llama_metadata(**{"llama.rope.freq_base": float("nan"), "llama.attention.scale": float("inf")}),
               llama_gguf_tensors(TINY))  # fmt: skip
    result = taxo("inspect", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    json.loads(result.stdout)  # strict JSON: Python's parser accepts NaN, so check the text above too


def test_too_many_tensors_are_refused(taxo, tmp_path):
    entry = b'"t%d":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},'
    body = b"{" + b"".join(entry % i for i in range(110_000))[:-1] + b"}"
    path = write_raw_safetensors(tmp_path / "many.safetensors", body, tail=b"\0" * 4)
    result = taxo("inspect", str(path))
    assert result.exit_code == 4
    assert "more than 100,000 tensors in one file: refused" in result.stderr


def test_millions_of_values_are_refused_before_parsing(taxo, tmp_path):
    body = b'{"w":{"dtype":"F32","shape":[' + b",".join([b"1"] * 2_100_000) + b'],"data_offsets":[0,4]}}'
    path = write_raw_safetensors(tmp_path / "values.safetensors", body, tail=b"\0" * 4)
    result = taxo("inspect", str(path))
    assert result.exit_code == 4
    assert "more than 2,000,000 values in the safetensors header: refused" in result.stderr


def test_truncated_gguf_data_is_reported(taxo, tmp_path):
    head, _ = gguf_bytes(llama_metadata(), llama_gguf_tensors(TINY))
    path = tmp_path / "cut.gguf"
    path.write_bytes(head + b"\0" * 100)
    result = taxo("inspect", str(path))
    assert result.exit_code == 4
    assert f"its tensors need 100,544 bytes but the file has {len(head) + 100:,}" in result.stderr


def test_hostile_index_cannot_point_outside_the_folder(taxo, tmp_path):
    folder = write_hf_folder(tmp_path / "m", TINY)
    index = {"weight_map": {"w": "../../../etc/passwd.safetensors"}}
    (folder / "model.safetensors.index.json").write_text(json.dumps(index))
    result = taxo("inspect", str(folder))
    assert result.exit_code == 4
    assert "names a file outside the folder: '../../../etc/passwd.safetensors'" in result.stderr


def test_deep_config_json_is_an_error(taxo, tmp_path):
    folder = write_hf_folder(tmp_path / "m", TINY)
    (folder / "config.json").write_text("[" * 100_000 + "]" * 100_000)
    result = taxo("inspect", str(folder))
    assert result.exit_code == 4
    assert "config.json: malformed JSON: nested too deeply" in result.stderr


def test_fifo_and_devices_are_refused_without_blocking(taxo, tmp_path):
    fifo = tmp_path / "model.gguf"
    os.mkfifo(fifo)
    result = taxo("inspect", str(fifo))
    assert result.exit_code == 4 and "is not a regular file" in result.stderr
    if os.path.exists("/dev/zero"):
        assert "is not a regular file" in taxo("inspect", "/dev/zero").stderr


def test_not_a_model_folder(taxo, tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    result = taxo("inspect", str(tmp_path))
    assert result.exit_code == 4
    assert "not a model folder: no config.json, *.safetensors or *.gguf file in it" in result.stderr


def test_no_such_path_is_not_found(taxo, tmp_path):
    result = taxo("inspect", str(tmp_path / "nope"))
    assert result.exit_code == 3 and "no such file or folder" in result.stderr
    result = taxo("inspect", "someone/some-model")
    assert result.exit_code == 3 and "no model 'someone/some-model' in the Hugging Face cache" in result.stderr


@pytest.mark.parametrize("args", [[], ["x", "--hf-cache"]])
def test_path_or_hf_cache_exactly_one(taxo, args):
    result = taxo("inspect", *args)
    assert result.exit_code == 2
    assert "give a PATH to inspect, or --hf-cache" in result.stderr


ESCAPES = "\x1b[2J\x1b]8;;https://evil.example\x07[bold red]boom[/]\u202egnp.exe"


def test_escapes_and_markup_in_names_are_shown_inert(taxo, tmp_path):
    metadata = llama_metadata(name=ESCAPES, **{"general.license": "[/]", "general.organization": "[link=x]y"})
    path = write_gguf(tmp_path / "evil.gguf", metadata, llama_gguf_tensors(TINY))
    for fmt in ("plain", "table"):
        result = taxo("inspect", str(path), "--format", fmt, env={"COLUMNS": "120"})
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x07" not in result.stdout
        assert "\\x1b[2J\\x1b]8;;https://evil.example\\x07[bold red]boom[/]\\u202egnp.exe" in result.stdout
        assert "[/]" in result.stdout and "[link=x]y" in result.stdout
    assert taxo.json("inspect", str(path))["name"] == ESCAPES  # JSON keeps the exact text


def test_escapes_in_tensor_names_and_errors_are_inert(taxo, tmp_path):
    header = {"\x1b[31mw": _tensor("F32", [2], [0, 16])}
    path = write_raw_safetensors(tmp_path / "e.safetensors", header, tail=b"\0" * 8)
    result = taxo("inspect", str(path))
    assert result.exit_code == 4
    assert "\x1b" not in result.stderr and "\\x1b[31mw" in result.stderr


def test_lone_surrogates_in_a_header_do_not_break_output(taxo, tmp_path):
    header = json.dumps({"__metadata__": {"k": "v"}, "w": _tensor("F32", [1], [0, 4])}).replace('"w"', '"\\ud800w"')
    path = write_raw_safetensors(tmp_path / "s.safetensors", header.encode(), tail=b"\0" * 4)
    assert taxo("inspect", str(path)).exit_code == 0
    assert taxo.json("inspect", str(path))["parameters"]["value"] == 1


def test_table_card_draws_a_panel(taxo, tmp_path):
    path = write_gguf(tmp_path / "t.gguf", llama_metadata(), llama_gguf_tensors(TINY))
    result = taxo("inspect", str(path), "--format", "table", env={"COLUMNS": "100"})
    assert result.exit_code == 0
    assert "╭" in result.stdout and "Tiny Llama Test, quantised Q8_0 (not in the catalogue)" in result.stdout


# -- the catalogue sections behind inspect -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        (
            "stage_evidence:\n  - id: x\n    stage: chat\n    when: {name_word_any: [chat]}\n    because: y\n",
            "mine.yaml:4: stage evidence 'x': when: name_word_any: unknown condition 'name_word_any'; "
            "did you mean 'name_words_any'?",
        ),
        (
            "stage_evidence:\n  - id: x\n    stage: chat\n    when: {chat_template: 1}\n    because: y\n",
            "mine.yaml:4: stage evidence 'x': when: chat_template: bad value 1",
        ),
        (
            "architectures:\n  - id: x\n    names: [a]\n    architecture: y\n"
            "    modalities: {input: [smell], output: [text]}\n    sources: [gguf-spec]\n",
            "mine.yaml:5: architecture 'x': modalities: input: 'smell' is not one of",
        ),
    ],
)
def test_bad_inspect_sections_are_named_with_file_and_line(taxo, tmp_path, yaml, expected):
    path = tmp_path / "mine.yaml"
    path.write_text(yaml)
    result = taxo("validate", str(path))
    assert result.exit_code == 4
    assert expected in result.stderr


def test_narrow_table_card_fits_the_terminal(taxo, tmp_path):
    path = write_gguf(tmp_path / "t.gguf", llama_metadata(), llama_gguf_tensors(TINY))
    result = taxo("inspect", str(path), "--format", "table", env={"COLUMNS": "50"})
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 50
