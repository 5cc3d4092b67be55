// The console's only script, shipped with the package. Pages work without it.
"use strict";
document.querySelectorAll("form.filters select[data-autosubmit]").forEach(function (el) {
  el.addEventListener("change", function () { el.form.submit(); });
});

// An inclusion proof checked in the page (RFC 9162): leaf = SHA-256(0x00 || data), node =
// SHA-256(0x01 || left || right); the head's signature is Ed25519 over its text form.
(function () {
  var source = document.getElementById("evidence");
  if (!source) return;
  var pkg = JSON.parse(source.textContent);
  var key = JSON.parse(document.getElementById("evidence-key").textContent);
  var subtle = window.crypto && window.crypto.subtle;
  function hex(bytes) {
    return Array.from(new Uint8Array(bytes)).map(function (b) {
      return b.toString(16).padStart(2, "0");
    }).join("");
  }
  function unhex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }
  function sha(prefix, parts) {
    var size = 1 + parts.reduce(function (n, p) { return n + p.length; }, 0);
    var all = new Uint8Array(size), at = 1;
    all[0] = prefix;
    parts.forEach(function (p) { all.set(p, at); at += p.length; });
    return subtle.digest("SHA-256", all).then(function (d) { return new Uint8Array(d); });
  }
  async function rootFrom(index, size, leaf, path) {
    if (index < 0 || index >= size) throw new Error("leaf outside the tree");
    var fn = index, sn = size - 1, digest = leaf;
    for (var i = 0; i < path.length; i++) {
      if (sn === 0) throw new Error("proof too long");
      if ((fn & 1) || fn === sn) {
        digest = await sha(1, [path[i], digest]);
        while (fn && !(fn & 1)) { fn >>= 1; sn >>= 1; }
      } else {
        digest = await sha(1, [digest, path[i]]);
      }
      fn >>= 1; sn >>= 1;
    }
    if (sn !== 0) throw new Error("proof too short");
    return digest;
  }
  async function signatureOk() {
    if (!key || !key.public_key_pem) return false;
    var b64 = key.public_key_pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    var der = Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
    var publicKey = await subtle.importKey("spki", der, { name: "Ed25519" }, false, ["verify"]);
    var head = pkg.tree_head;
    var message = new TextEncoder().encode("jixiao tree head v1\nsize: " + head.tree_size +
      "\nroot: " + head.root_hash + "\ntime: " + head.signed_at + "\n");
    var signature = Uint8Array.from(atob(head.signature), function (c) { return c.charCodeAt(0); });
    return subtle.verify({ name: "Ed25519" }, publicKey, signature, message);
  }
  function show(name, ok) {
    var item = document.querySelector('#verdict [data-check="' + name + '"]');
    item.dataset.ok = ok ? "yes" : "no";
    item.querySelector("span").textContent = ok ? "通过" : "不通过";
    item.querySelector("span").className = ok ? "ok" : "bad";
  }
  var summary = document.getElementById("verdict-summary");
  if (!subtle) { summary.textContent = "此页面不在安全环境（本机或 HTTPS）中，浏览器无法计算哈希。"; return; }
  (async function () {
    var leaf = await sha(0, [unhex(pkg.leaf_data_hex)]);
    var leafOk = hex(leaf) === pkg.leaf_hash;
    show("leaf", leafOk);
    var rootOk = false;
    try {
      var root = await rootFrom(pkg.leaf_index, pkg.tree_head.tree_size, leaf,
        pkg.inclusion_proof.map(unhex));
      rootOk = hex(root) === pkg.tree_head.root_hash;
    } catch (e) { rootOk = false; }
    show("root", rootOk);
    var signed = false;
    try { signed = await signatureOk(); } catch (e) { signed = false; }
    show("signature", signed);
    var all = leafOk && rootOk && signed;
    summary.textContent = all ? "验证通过：该事件包含在已签名的日志树中。" : "验证未通过。";
    summary.className = all ? "ok" : "bad";
    summary.dataset.verified = all ? "yes" : "no";
  })();
})();
