// radio studio booth: hands the microphone's PCM (float32, mono) to the page, block by block.
class RadioCapture extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor("radio-capture", RadioCapture);
