# Rewrites the relative imports of an mlir-tblgen Python module (written to
# live inside mlir.dialects) into absolute imports of the upstream package.
file(READ "${IN}" text)
string(REGEX REPLACE "\nfrom \\._ods_common " "\nfrom mlir.dialects._ods_common " text "${text}")
string(REGEX REPLACE "\nfrom \\.\\.ir " "\nfrom mlir.ir " text "${text}")
file(WRITE "${OUT}" "${text}")
