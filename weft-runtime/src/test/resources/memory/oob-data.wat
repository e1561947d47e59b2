;; An active data segment that ends past its memory: instantiation must fail.
;; Rebuild: wat2wasm oob-data.wat -o oob-data.wasm
(module (memory 1) (data (i32.const 65530) "0123456789"))
