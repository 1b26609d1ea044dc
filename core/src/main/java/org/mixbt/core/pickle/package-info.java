/**
 * Reading Python pickles without running anything from them: {@link org.mixbt.core.pickle.RestrictedUnpickler}
 * resolves only the globals of a caller's {@link org.mixbt.core.pickle.PickleAllowList}; {@link
 * org.mixbt.core.pickle.NumpyPickles} is the list that rebuilds numpy arrays (the CIFAR python batches).
 * Writing: {@link org.mixbt.core.pickle.PickleWriter} emits protocol-2 opcodes (the exported state_dict).
 */
package org.mixbt.core.pickle;
